#pragma once
// A uniform-grid spatial index over feature bounding boxes, for drawing only what is in
// view and for picking. Coordinates in the map's CRS (metres). Deterministic: queries
// return feature indices in ascending order.

#include <cstdint>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::viewer {

class GridIndex {
public:
  GridIndex() = default;
  /// Builds the index over `boxes` (one per feature, by position; empty boxes are never
  /// returned). The grid has about `boxes.size() / target_per_cell` buckets.
  explicit GridIndex(std::vector<geo::Box> boxes, double target_per_cell = 8);

  /// Indices of features whose boxes intersect `query`, ascending, without duplicates.
  std::vector<std::uint32_t> query(const geo::Box& query) const;
  /// Calls visit(index) for each feature whose box intersects `query`, in no defined
  /// order and possibly more than once per feature for large features; cheaper than
  /// query() for drawing.
  template <class Visit> void visit(const geo::Box& query, Visit&& visit) const;

  /// Changes feature i's box (its geometry was edited) without rebuilding: a box that
  /// leaves the buckets it was filed under is kept in a short overflow list that every
  /// query also checks.
  void update(std::uint32_t i, const geo::Box& box);

  const geo::Box& box(std::uint32_t i) const { return boxes_[i]; }
  const geo::Box& extent() const { return extent_; }
  std::size_t size() const { return boxes_.size(); }

private:
  void cell_range(const geo::Box& b, long& x0, long& y0, long& x1, long& y1) const;

  std::vector<geo::Box> boxes_;
  geo::Box extent_ = geo::Box::none();
  long nx_ = 0, ny_ = 0;
  double cell_w_ = 1, cell_h_ = 1;
  std::vector<std::uint32_t> offsets_; ///< CSR over buckets
  std::vector<std::uint32_t> items_;
  std::vector<std::uint32_t> overflow_; ///< features whose box outgrew their buckets
};

template <class Visit> void GridIndex::visit(const geo::Box& q, Visit&& fn) const {
  for (auto i : overflow_)
    if (boxes_[i].intersects(q)) fn(i);
  if (items_.empty() || !q.intersects(extent_)) return;
  long x0, y0, x1, y1;
  cell_range(q, x0, y0, x1, y1);
  for (long y = y0; y <= y1; ++y)
    for (long x = x0; x <= x1; ++x) {
      const auto bucket = static_cast<std::size_t>(y * nx_ + x);
      for (auto k = offsets_[bucket]; k < offsets_[bucket + 1]; ++k) {
        const auto i = items_[k];
        if (boxes_[i].intersects(q)) fn(i);
      }
    }
}

} // namespace gp::viewer
