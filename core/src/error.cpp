#include "gp/core/error.hpp"

namespace gp {
namespace {

std::string describe(const std::string& file, const std::string& layer,
                     const std::optional<long long>& feature, const std::string& reason) {
  std::string msg = file;
  if (!layer.empty()) msg += ": layer '" + layer + "'";
  if (feature) msg += ": feature " + std::to_string(*feature);
  msg += ": " + reason;
  return msg;
}

} // namespace

InputError::InputError(std::string file, std::string layer, std::optional<long long> feature,
                       const std::string& reason)
    : Error(describe(file, layer, feature, reason)), file_(std::move(file)),
      layer_(std::move(layer)), feature_(feature) {}

} // namespace gp
