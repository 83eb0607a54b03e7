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

  /// An InputError whose message is already composed (passed on from another rank, or
  /// given a context by rethrow_with_context); file(), layer() and feature() as given.
  static InputError composed(const std::string& message, std::string file, std::string layer,
                             std::optional<long long> feature);

  const std::string& file() const { return file_; }
  const std::string& layer() const { return layer_; }
  const std::optional<long long>& feature() const { return feature_; }

private:
  struct Composed {};
  InputError(Composed, const std::string& message, std::string file, std::string layer,
             std::optional<long long> feature);
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

/// Call only inside a catch block: rethrows the exception being handled with
/// "<context>: " before its message — the same gp::Error class (InputError keeps its file,
/// layer and feature), std::bad_alloc as it is, any other std::exception as
/// std::runtime_error, anything else unchanged. E.g. rethrow_with_context("community
/// 110101001001") names the community a failure happened in.
[[noreturn]] void rethrow_with_context(const std::string& context);

} // namespace gp
