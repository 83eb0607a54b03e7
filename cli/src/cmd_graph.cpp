// `gridplan graph`: write the unit adjacency graph that `plan` partitions, in METIS
// format, so METIS (gpmetis) can be run on the identical graph.

#include <fmt/core.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/graph_io.hpp"
#include "gp/planner/plan.hpp"
#include "output.hpp"
#include "plan_inputs.hpp"
#include "progress.hpp"

namespace gp::cli {
namespace {

struct GraphFlags {
  PlanInputFlags inputs;
  std::string out;
  std::string format = "metis";
  std::string area;
  std::string edge_weights = "unit";
  bool overwrite = false;
};

void run_graph(const GraphFlags& flags, const GlobalOptions& global) {
  const auto sources = flags.inputs.sources();
  auto plan_options = flags.inputs.plan_options();
  check_output_writable(flags.out, flags.inputs.input_paths(), flags.overwrite);

  ProgressBar bar(global.quiet || global.json);
  auto read_options = flags.inputs.read_options();
  read_options.progress = [&bar](double f, const std::string& label) {
    bar.update(0.4 * f, label);
  };
  const auto dataset = geo::read_dataset(sources, read_options);
  plan_options.progress = [&bar](double f, const std::string& label) {
    bar.update(0.4 + 0.5 * f, label);
  };
  const auto graph = planner::build_dataset_graph(dataset, plan_options, flags.area);

  planner::MetisWriteOptions metis;
  metis.vertex_weight_scale = 1.0;
  metis.edge_weight_scale = flags.edge_weights == "length" ? 1.0 : 0.0;
  {
    AtomicOutput out(flags.out, flags.overwrite);
    planner::write_metis_graph(graph.graph, out.temp_path(), metis);
    out.commit();
  }
  bar.finish();

  double total = 0;
  for (double w : graph.graph.weight) total += w;
  if (global.json) {
    nlohmann::ordered_json j;
    j["output"] = flags.out;
    j["format"] = flags.format;
    j["vertices"] = graph.graph.vertex_count();
    j["edges"] = graph.graph.edge_count();
    j["areas"] = graph.area_codes.size();
    j["balance_field"] = plan_options.balance_field;
    j["total_weight"] = total;
    j["edge_weights"] = flags.edge_weights;
    fmt::print("{}\n", j.dump(2));
    return;
  }
  if (global.quiet) return;
  fmt::print("{} vertices, {} edges, {} area(s); vertex weight = {} (rounded, total {:.0f}); "
             "edge weight = {}\ngraph written to {}\n",
             graph.graph.vertex_count(), graph.graph.edge_count(), graph.area_codes.size(),
             plan_options.balance_field, total,
             flags.edge_weights == "length" ? "shared boundary in whole metres (at least 1)" : "1",
             flags.out);
}

} // namespace

void add_graph(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<GraphFlags>();
  auto* cmd = app.add_subcommand(
      "graph", "Write the unit adjacency graph that `plan` partitions (METIS format)");
  cmd->footer(
      "Vertices are the units in area order, then input order; areas are disconnected "
      "blocks. Example:\n  gridplan graph --city city.gpkg --format metis --out city.metis\n"
      "  gpmetis -contig city.metis 2500");
  flags->inputs.add_to(*cmd);
  cmd->add_option("-o,--out", flags->out, "Output graph file")->required();
  cmd->add_option("--format", flags->format, "Graph format: metis")
      ->check(CLI::IsMember({"metis"}))
      ->capture_default_str();
  cmd->add_option("--area", flags->area, "Only this area (community code)");
  cmd->add_option("--edge-weights", flags->edge_weights,
                  "unit (every edge 1: the cut-edges objective) or length (shared boundary, m)")
      ->check(CLI::IsMember({"unit", "length"}))
      ->capture_default_str();
  cmd->add_flag("--overwrite", flags->overwrite, "Replace an existing output");
  cmd->callback([flags, &global] { run_graph(*flags, global); });
}

} // namespace gp::cli
