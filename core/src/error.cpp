#include "gp/core/error.hpp"

#include "gp/core/secrets.hpp"

#include <new>

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

InputError::InputError(Composed, const std::string& message, std::string file, std::string layer,
                       std::optional<long long> feature)
    : Error(mask_secrets(message)), file_(std::move(file)), layer_(std::move(layer)),
      feature_(feature) {}

InputError InputError::composed(const std::string& message, std::string file, std::string layer,
                                std::optional<long long> feature) {
  return InputError(Composed{}, message, std::move(file), std::move(layer), feature);
}

void rethrow_with_context(const std::string& context) {
  try {
    throw;
  } catch (const InputError& e) {
    throw InputError::composed(context + ": " + e.what(), e.file(), e.layer(), e.feature());
  } catch (const UsageError& e) {
    throw UsageError(context + ": " + e.what());
  } catch (const OutputError& e) {
    throw OutputError(context + ": " + e.what());
  } catch (const Error& e) {
    throw Error(context + ": " + e.what());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw std::runtime_error(context + ": " + e.what());
  }
}

} // namespace gp
