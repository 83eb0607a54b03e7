// networkx node-link / adjacency JSON graphs, read twice: with no attributes (every vertex
// weighs 1) and with weight, position, length and group attributes (the seeds' names).
#include "fuzz_common.hpp"
#include "gp/core/error.hpp"
#include "gp/planner/graph_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = gp::fuzz::bytes_to_file(data, size, "g.json");
  try {
    gp::planner::read_networkx_json(path, {});
  } catch (const gp::Error&) {
  }
  gp::planner::NetworkxReadOptions options;
  options.weight_attribute = "pop";
  options.x_attribute = "x";
  options.y_attribute = "y";
  options.length_attribute = "len";
  options.group_attribute = "grp";
  GP_FUZZ_BODY(gp::planner::read_networkx_json(path, options));
}
