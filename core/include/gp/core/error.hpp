#pragma once
// The one exception family of gridplan. Library code throws these; only the edges
// (main() of each program, Qt slots) catch them and turn them into messages.

#include <optional>
#include <stdexcept>
#include <string>

namespace gp {

/// Base of every gridplan failure. what() is a one-line message fit for a user.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Bad or unreadable input. The message names the file, the layer and the feature
/// (when known) so the user can find the offending record:
///   "city.gpkg: layer 'units': feature 17: field 'households' is not numeric ('abc')"
class InputError : public Error {
public:
  InputError(std::string file, std::string layer, std::optional<long long> feature,
             const std::string& reason);
  InputError(std::string file, const std::string& reason)
      : InputError(std::move(file), {}, std::nullopt, reason) {}

  const std::string& file() const { return file_; }
  const std::string& layer() const { return layer_; }
  const std::optional<long long>& feature() const { return feature_; }

private:
  std::string file_;
  std::string layer_;
  std::optional<long long> feature_;
};

/// An output could not be written (exists without --overwrite, is an input, disk error).
class OutputError : public Error {
public:
  using Error::Error;
};

/// Invalid user options (conflicting flags, bad values).
class UsageError : public Error {
public:
  using Error::Error;
};

} // namespace gp
