#include "progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace gp::cli {

namespace {

bool progress_lines() {
  const char* mode = std::getenv("GRIDPLAN_PROGRESS");
  return mode != nullptr && std::string(mode) == "lines";
}

} // namespace

ProgressBar::ProgressBar(bool quiet)
    : enabled_(!quiet && (isatty(fileno(stderr)) != 0 || progress_lines())),
      lines_(!quiet && progress_lines()), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(double fraction, const std::string& label) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const int permille = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000);
  if (lines_) {
    // For a program reading stderr: every change of stage, else at most 5 lines a second.
    if (label == last_label_ &&
        (permille == last_permille_ || now - last_draw_ < std::chrono::milliseconds(200)))
      return;
    last_label_ = label;
    last_permille_ = permille;
    last_draw_ = now;
    fmt::print(stderr, "progress: {:.1f}% {}\n", permille / 10.0, label);
    std::fflush(stderr);
    return;
  }
  // Redraw at most 10 times a second, and never before half a second of work.
  if (now - start_ < std::chrono::milliseconds(500)) return;
  if (label == last_label_ && permille == last_permille_) return;
  if (label == last_label_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_label_ = label;
  last_permille_ = permille;
  last_draw_ = now;
  constexpr int width = 30;
  const int filled = permille * width / 1000;
  const double secs = std::chrono::duration<double>(now - start_).count();
  fmt::print(stderr, "\r\033[K[{:=<{}}{: <{}}] {:5.1f}% {} ({:.0f}s)", "", filled, "",
             width - filled, permille / 10.0, label, secs);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

gp::ProgressFn ProgressBar::callback() {
  if (!enabled_) return {};
  return [this](double f, const std::string& label) { update(f, label); };
}

} // namespace gp::cli
