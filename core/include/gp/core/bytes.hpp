#pragma once
// Packing values into a byte string and back, to hand results between the processes of a
// distributed run (gp/core/ranks.hpp). The layout is the machine's own (byte order, IEEE
// doubles bit for bit): every rank of one run must be the same architecture, which MPI
// clusters are. Nothing here is a file format; never store these bytes.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "gp/core/error.hpp"

namespace gp {

/// Appends values to a byte string. Arithmetic values are copied bit for bit (a double
/// comes back identical, NaN payload included); strings and vectors carry their length.
class ByteWriter {
public:
  template <class T>
  requires std::is_arithmetic_v<T>
  void put(T value) {
    char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    bytes_.append(raw, sizeof(T));
  }
  void put(std::string_view text) {
    put(static_cast<std::uint64_t>(text.size()));
    bytes_.append(text.data(), text.size());
  }
  template <class T>
  requires std::is_arithmetic_v<T>
  void put(const std::vector<T>& values) {
    put(static_cast<std::uint64_t>(values.size()));
    if (!values.empty())
      bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  /// The bytes written so far (moved out).
  std::string take() { return std::move(bytes_); }

private:
  std::string bytes_;
};

/// Reads back what a ByteWriter wrote, in the same order. Throws gp::Error when the bytes
/// end early (a truncated or mismatched message: a bug, not bad input).
class ByteReader {
public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <class T>
  requires std::is_arithmetic_v<T> T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  std::string get_string() {
    const auto n = count();
    return std::string(take(n), n);
  }
  template <class T>
  requires std::is_arithmetic_v<T> std::vector<T> get_vector() {
    const auto n = count();
    std::vector<T> values(n);
    if (n > 0) std::memcpy(values.data(), take(n * sizeof(T)), n * sizeof(T));
    return values;
  }
  /// A length written by put(string) or put(vector), checked against the bytes left.
  std::size_t count() {
    const auto n = get<std::uint64_t>();
    if (n > bytes_.size() - pos_) throw Error("packed result: length beyond its end");
    return static_cast<std::size_t>(n);
  }
  bool done() const { return pos_ == bytes_.size(); }

private:
  const char* take(std::size_t n) {
    if (n > bytes_.size() - pos_) throw Error("packed result: ends early");
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

} // namespace gp
