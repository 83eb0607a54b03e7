// Scenario TOML (with `inherits` resolved against a folder holding base.toml).
#include <string>

#include "fuzz_common.hpp"
#include "gp/core/error.hpp"
#include "gp/sim/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  GP_FUZZ_BODY({
    const std::string path = gp::fuzz::bytes_to_file(data, size, "scenario.toml");
    // The file's own folder: `inherits = "scenario.toml"` is a cycle, others are absent.
    gp::sim::parse_scenario(text, "fuzz.toml", std::filesystem::path(path).parent_path());
  });
}
