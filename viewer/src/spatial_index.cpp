#include "gp/viewer/spatial_index.hpp"

#include <algorithm>
#include <cmath>

namespace gp::viewer {

GridIndex::GridIndex(std::vector<geo::Box> boxes, double target_per_cell)
    : boxes_(std::move(boxes)) {
  std::size_t count = 0;
  for (const auto& b : boxes_)
    if (!b.empty()) {
      extent_.expand(b);
      ++count;
    }
  if (count == 0) return;
  const double w = std::max(extent_.width(), 1e-9), h = std::max(extent_.height(), 1e-9);
  const double buckets = std::max(1.0, static_cast<double>(count) / target_per_cell);
  // Square-ish buckets covering the extent.
  const double side = std::sqrt(w * h / buckets);
  nx_ = std::clamp(static_cast<long>(std::ceil(w / side)), 1L, 4096L);
  ny_ = std::clamp(static_cast<long>(std::ceil(h / side)), 1L, 4096L);
  cell_w_ = w / static_cast<double>(nx_);
  cell_h_ = h / static_cast<double>(ny_);
  const auto nb = static_cast<std::size_t>(nx_ * ny_);
  offsets_.assign(nb + 1, 0);
  long x0, y0, x1, y1;
  for (const auto& b : boxes_) {
    if (b.empty()) continue;
    cell_range(b, x0, y0, x1, y1);
    for (long y = y0; y <= y1; ++y)
      for (long x = x0; x <= x1; ++x) ++offsets_[static_cast<std::size_t>(y * nx_ + x) + 1];
  }
  for (std::size_t i = 0; i < nb; ++i) offsets_[i + 1] += offsets_[i];
  items_.resize(offsets_[nb]);
  std::vector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
  for (std::uint32_t i = 0; i < boxes_.size(); ++i) {
    const auto& b = boxes_[i];
    if (b.empty()) continue;
    cell_range(b, x0, y0, x1, y1);
    for (long y = y0; y <= y1; ++y)
      for (long x = x0; x <= x1; ++x) items_[fill[static_cast<std::size_t>(y * nx_ + x)]++] = i;
  }
}

void GridIndex::cell_range(const geo::Box& b, long& x0, long& y0, long& x1, long& y1) const {
  auto clampx = [&](double v) {
    return std::clamp(static_cast<long>(std::floor((v - extent_.min_x) / cell_w_)), 0L, nx_ - 1);
  };
  auto clampy = [&](double v) {
    return std::clamp(static_cast<long>(std::floor((v - extent_.min_y) / cell_h_)), 0L, ny_ - 1);
  };
  x0 = clampx(b.min_x);
  x1 = clampx(b.max_x);
  y0 = clampy(b.min_y);
  y1 = clampy(b.max_y);
}

void GridIndex::update(std::uint32_t i, const geo::Box& box) {
  const geo::Box old = boxes_.at(i);
  boxes_[i] = box;
  if (box.empty() || std::find(overflow_.begin(), overflow_.end(), i) != overflow_.end()) return;
  bool inside = !old.empty() && !items_.empty();
  if (inside) {
    long ox0, oy0, ox1, oy1, x0, y0, x1, y1;
    cell_range(old, ox0, oy0, ox1, oy1);
    cell_range(box, x0, y0, x1, y1);
    inside = x0 >= ox0 && x1 <= ox1 && y0 >= oy0 && y1 <= oy1 && extent_.min_x <= box.min_x &&
             extent_.min_y <= box.min_y && extent_.max_x >= box.max_x && extent_.max_y >= box.max_y;
  }
  if (!inside) overflow_.push_back(i);
}

std::vector<std::uint32_t> GridIndex::query(const geo::Box& q) const {
  std::vector<std::uint32_t> out;
  visit(q, [&](std::uint32_t i) { out.push_back(i); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

} // namespace gp::viewer
