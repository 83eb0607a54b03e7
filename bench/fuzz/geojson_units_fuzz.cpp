// GeoJSON buildings through the whole reader (CRS, repair, households), from /vsimem/.
#include "fuzz_common.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  GP_FUZZ_BODY({
    const gp::geo::MemoryFile file("units.geojson",
                                   std::string_view(reinterpret_cast<const char*>(data), size));
    gp::geo::DatasetSources sources;
    sources.units = gp::geo::SourceSpec{file.path(), ""};
    gp::geo::ReadOptions options;
    options.src_crs = "EPSG:4326";
    gp::geo::read_dataset(sources, options);
  });
}
