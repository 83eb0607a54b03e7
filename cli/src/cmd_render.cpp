// `gridplan render PLAN --out map.png|pdf|svg`: a map of a plan (or simulation results)
// without a display, through the viewer's headless renderer (Qt offscreen platform).

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/viewer/headless.hpp"
#include "gp/viewer/renderer.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace gp::cli {

namespace {

/// Largest width or height accepted (a 20000 x 20000 RGBA image is 1.6 GB).
constexpr int max_pixels = 20000;

struct RenderArgs {
  std::string plan;
  std::vector<std::string> add; ///< further files whose layers are added (results)
  std::string layer = "cells";
  std::string color_by = "households";
  std::string out;
  int width = 0, height = 0, dpi = 0;
  int classes = 5;
  std::string title;
  std::string subtitle;
  std::string lang = "zh";
  std::string preset = "screen";
  std::string label_field;
  bool no_labels = false, no_legend = false;
  bool overwrite = false;
};

void run_render(const RenderArgs& a, const GlobalOptions& global) {
  if (a.lang != "zh" && a.lang != "en") throw UsageError("--lang must be zh or en");
  if (a.preset != "screen" && a.preset != "print")
    throw UsageError("--preset must be screen or print");
  if (a.classes < 2 || a.classes > 9) throw UsageError("--classes must be in 2..9");
  // Maps are images or documents named by their extension; a plan or input is never one.
  std::vector<std::string> inputs = a.add;
  inputs.push_back(a.plan);
  check_output_writable(a.out, inputs, a.overwrite);
  require_extension("--out", a.out, {".png", ".pdf", ".svg"});
  const auto app = viewer::ensure_gui_application();
  ProgressBar bar(global.quiet || global.json);
  auto model = viewer::MapModel::open(
      a.plan, [&](double f, const std::string& l) { bar.update(f * 0.8, l); });
  for (const auto& extra : a.add) model.add_file(extra);
  bar.update(0.85, "drawing");
  viewer::MapRenderer renderer(model);
  const auto* layer = model.find(a.layer);
  if (!layer) {
    std::string names;
    for (const auto& l : model.layers()) names += (names.empty() ? "" : ", ") + l.name();
    throw InputError(a.plan, a.layer, std::nullopt,
                     fmt::format("layer not found (layers: {})", names));
  }
  // households is the default; a layer without it (e.g. results) is drawn plain unless
  // --color-by names one of its fields.
  if (!a.color_by.empty() && a.color_by != "none" &&
      (a.color_by != "households" || layer->data.table.find("households") >= 0))
    renderer.set_thematic(viewer::make_thematic(*layer, a.color_by, a.classes));

  viewer::FileRenderOptions options;
  auto& deco = options.decorations;
  deco.language = a.lang == "zh" ? viewer::Language::zh : viewer::Language::en;
  deco.title_text = QString::fromStdString(a.title);
  deco.subtitle_text = QString::fromStdString(a.subtitle);
  deco.label_field = a.label_field;
  deco.labels = !a.no_labels;
  deco.legend = !a.no_legend;
  if (a.preset == "print") {
    // A3 landscape at 200 dpi, neat line, title "网格化管理平面图" and a subtitle naming
    // the plan unless given.
    options.dpi = a.dpi ? a.dpi : 200;
    options.width = a.width ? a.width : static_cast<int>(std::lround(420 / 25.4 * options.dpi));
    options.height = a.height ? a.height : static_cast<int>(std::lround(297 / 25.4 * options.dpi));
    deco.frame = true;
    if (deco.subtitle_text.isEmpty())
      deco.subtitle_text = QString::fromStdString(
          fmt::format("{} · {} {}", std::filesystem::path(a.plan).filename().string(),
                      layer->size(), a.lang == "zh" ? "个网格" : "cells"));
  } else {
    options.dpi = a.dpi ? a.dpi : 96;
    options.width = a.width ? a.width : 1600;
    options.height = a.height ? a.height : 1200;
  }
  if (static_cast<long long>(options.width) * options.height >
      static_cast<long long>(max_pixels) * max_pixels / 4)
    throw UsageError(fmt::format("--width x --height: {} x {} pixels is more than {} megapixels",
                                 options.width, options.height,
                                 max_pixels / 1000 * max_pixels / 1000 / 4));
  {
    // The renderer writes the temporary; AtomicOutput owns its name, sync and clean-up.
    AtomicOutput out(a.out, a.overwrite);
    options.overwrite = true;
    viewer::render_to_file(renderer, model, out.temp_path(), options);
    out.commit();
  }
  bar.finish();
  if (global.json) {
    nlohmann::json j = {{"out", a.out},
                        {"layer", a.layer},
                        {"color_by", renderer.thematic() ? a.color_by : ""},
                        {"width", options.width},
                        {"height", options.height},
                        {"dpi", options.dpi},
                        {"features", layer->size()}};
    // The legend's classes as drawn: bounds (lower inclusive; the last class includes its
    // upper bound), colour, label and how many features fall in each.
    nlohmann::json classes = nlohmann::json::array();
    if (const auto& t = renderer.thematic())
      for (const auto& row : viewer::legend_rows(*t))
        classes.push_back({{"lower", row.lower},
                           {"upper", row.upper},
                           {"colour", row.colour},
                           {"label", row.label},
                           {"count", row.count}});
    j["legend"] = {{"field", renderer.thematic() ? renderer.thematic()->field : ""},
                   {"classes", classes},
                   {"no_data", renderer.thematic() ? renderer.thematic()->no_data_count : 0}};
    fmt::print("{}\n", j.dump());
  } else if (!global.quiet) {
    fmt::print(stderr, "wrote {} ({}x{} px, {} dpi)\n", a.out, options.width, options.height,
               options.dpi);
  }
}

} // namespace

void add_render(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<RenderArgs>();
  auto* cmd = app.add_subcommand(
      "render",
      "Draw a map of a plan or simulation results to PNG, PDF or SVG (no display needed)");
  cmd->add_option("plan", args->plan, "Plan GeoPackage (or any OGR source)")->required();
  cmd->add_option("--out,-o", args->out, "Output map: .png, .pdf or .svg")->required();
  cmd->add_option("--layer", args->layer, "Layer to colour")->capture_default_str();
  cmd->add_option("--color-by", args->color_by,
                  "Numeric field to colour by (households, deviation_pct, within_bounds, "
                  "p90_response_h, ...; 'none' for plain)")
      ->capture_default_str();
  cmd->add_option("--add", args->add, "Further files whose layers are added (e.g. results)");
  cmd->add_option("--classes", args->classes, "Number of colour classes (2..9)")
      ->capture_default_str();
  cmd->add_option("--width", args->width, "Width in pixels (default 1600; print: A3 at --dpi)")
      ->check(CLI::Range(1, max_pixels));
  cmd->add_option("--height", args->height, "Height in pixels (default 1200; print: A3 at --dpi)")
      ->check(CLI::Range(1, max_pixels));
  cmd->add_option("--dpi", args->dpi, "Resolution (default 96; print: 200)")
      ->check(CLI::Range(1, 2400));
  cmd->add_option("--title", args->title,
                  "Map title (default 网格化管理平面图 / Grid management plan map)");
  cmd->add_option("--subtitle", args->subtitle, "Line under the title");
  cmd->add_option("--lang", args->lang, "Language of map text: zh or en")->capture_default_str();
  cmd->add_option("--preset", args->preset,
                  "screen, or print: A3 landscape 200 dpi 网格化管理平面图 with neat line")
      ->capture_default_str();
  cmd->add_option("--label-field", args->label_field, "Field for cell labels (default cell_code)");
  cmd->add_flag("--no-labels", args->no_labels, "No cell labels");
  cmd->add_flag("--no-legend", args->no_legend, "No legend");
  cmd->add_flag("--overwrite", args->overwrite, "Replace an existing output file");
  cmd->callback([args, &global] { run_render(*args, global); });
}

} // namespace gp::cli
