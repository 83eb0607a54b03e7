#pragma once
// The small model several simulator tests start from: one cell of one household whose
// requests (one category, flat over the day and week, `rate` per hour) are handled by
// `workers` always-on workers of one type, with no travel, visits, patrols, departments or
// escalation. Tests change what they study (handling, deadline, shifts, departments).

#include "gp/sim/engine.hpp"

namespace gp::testing {

using sim::Category;
using sim::HandlingDistribution;
using sim::Scenario;
using sim::SimCell;
using sim::SimPlan;
using sim::WorkerType;

inline Scenario single_queue(double rate, int workers) {
  Scenario s = Scenario::defaults();
  s.categories.resize(1);
  Category& c = s.categories[0];
  c.name = "any";
  c.share = 1;
  c.distribution = HandlingDistribution::fixed;
  c.handling_minutes = 60;
  c.deadline_hours = 1e5;
  c.department_probability = 0;
  s.hourly_profile.fill(1);
  s.weekday_profile.fill(1);
  s.worker_types.resize(1);
  WorkerType& t = s.worker_types[0];
  t.name = "worker";
  t.per_cell = workers;
  t.shifts.clear();
  t.handles.clear();
  t.does_visits = false;
  t.patrol_minutes_per_shift = 0;
  s.travel = false;
  s.neighbour_help = false;
  s.escalate_at_fraction = 0;
  s.visit_minutes_per_household = 0;
  s.requests_per_household_year = 8760 * rate; // one household
  return s;
}

inline SimPlan one_cell(double households = 1) {
  SimPlan plan;
  SimCell cell;
  cell.code = "c";
  cell.area_code = "a";
  cell.households = households;
  plan.cells.push_back(cell);
  return plan;
}

} // namespace gp::testing
