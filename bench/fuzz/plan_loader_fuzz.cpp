// The plan loader on GeoPackage bytes, through GDAL's /vsimem/ (no disk).
#include "fuzz_common.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/sim/plan_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  GP_FUZZ_BODY({
    const gp::geo::MemoryFile file("plan.gpkg",
                                   std::string_view(reinterpret_cast<const char*>(data), size));
    gp::sim::load_plan(file.path());
  });
}
