#pragma once
// A terminal progress bar for long work. Draws only when stderr is a terminal and
// --quiet was not given; otherwise every call is a no-op. With GRIDPLAN_PROGRESS=lines in
// the environment it prints "progress: 42.0% label" lines instead, for programs that run
// gridplan (the QGIS Processing provider in qgis/).

#include <chrono>
#include <string>

#include "gp/geo/io.hpp"

namespace gp::cli {

class ProgressBar {
public:
  explicit ProgressBar(bool quiet);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// fraction in [0,1]; label names the current stage ("reading units").
  void update(double fraction, const std::string& label);
  /// Clears the bar line.
  void finish();
  /// A callback forwarding to update(), for library functions.
  gp::ProgressFn callback();

private:
  bool enabled_;
  bool lines_ = false; ///< GRIDPLAN_PROGRESS=lines: one line per update, no redraws
  bool drawn_ = false;
  std::string last_label_;
  int last_permille_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

} // namespace gp::cli
