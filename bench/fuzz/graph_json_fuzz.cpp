// networkx node-link / adjacency JSON graphs.
#include "fuzz_common.hpp"
#include "gp/core/error.hpp"
#include "gp/planner/graph_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  GP_FUZZ_BODY(gp::planner::read_networkx_json(gp::fuzz::bytes_to_file(data, size, "g.json"), {}));
}
