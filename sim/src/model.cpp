#include "gp/sim/model.hpp"

#include <fmt/core.h>

#include <cmath>

#include "gp/core/error.hpp"

namespace gp::sim {

double SimPlan::total_households() const {
  double total = 0;
  for (const auto& c : cells) total += c.households;
  return total;
}

void SimPlan::validate() const {
  const auto n = cells.size();
  if (n == 0) throw InputError("plan", "no cells");
  for (std::size_t i = 0; i < n; ++i) {
    if (!(cells[i].households >= 0) || !std::isfinite(cells[i].households))
      throw InputError("plan", "cells", static_cast<long long>(i), "households must be >= 0");
    for (auto j : cells[i].neighbours)
      if (j >= n)
        throw InputError("plan", "cells", static_cast<long long>(i),
                         "neighbour index out of range");
  }
  for (std::size_t b = 0; b < buildings.size(); ++b) {
    const auto& bl = buildings[b];
    if (bl.cell >= n)
      throw InputError("plan", "units", static_cast<long long>(b), "cell index out of range");
    if (!(bl.households >= 0) || !std::isfinite(bl.households))
      throw InputError("plan", "units", static_cast<long long>(b), "households must be >= 0");
    for (auto j : bl.dispatch_order)
      if (j >= n)
        throw InputError("plan", "units", static_cast<long long>(b), "dispatch cell out of range");
  }
}

} // namespace gp::sim
