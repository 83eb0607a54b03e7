// The field-mapping TOML (--fields FILE).
#include "fuzz_common.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  GP_FUZZ_BODY(
      gp::geo::FieldMapping::from_file(gp::fuzz::bytes_to_file(data, size, "fields.toml")));
}
