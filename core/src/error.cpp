#include "gp/core/error.hpp"

#include "gp/core/secrets.hpp"

namespace gp {
namespace {

std::string describe(const std::string& file, const std::string& layer,
                     const std::optional<long long>& feature, const std::string& reason) {
  std::string msg = file;
  if (!layer.empty()) msg += ": layer '" + layer + "'";
  if (feature) msg += ": feature " + std::to_string(*feature);
  msg += ": " + reason;
  // The file may be a connection string with a password: never put it in a message.
  return mask_secrets(msg);
}

} // namespace

InputError::InputError(std::string file, std::string layer, std::optional<long long> feature,
                       const std::string& reason)
    : Error(describe(file, layer, feature, reason)), file_(std::move(file)),
      layer_(std::move(layer)), feature_(feature) {}

} // namespace gp
