// viewer_bench: measures the viewer's rendering core on a big plan.
//
//   viewer_bench PLAN.gpkg                 open + frames + edit on a real plan
//   viewer_bench --synthetic N [--write OUT.gpkg]
//                                          a synthetic plan of N buildings (lattice city,
//                                          40-building cells), optionally written to a file
//                                          (then open it with the first form)
//
// Prints: time to open (read + index + editor), frame times (ms) of a 1280x800 offscreen
// render while zooming from the whole city in by 1.25x per frame down to street level and
// back out, and the time of one hand edit (check + move + figures).
#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <numeric>
#include <string>
#include <vector>

#include "gp/core/error.hpp"
#include "gp/geo/crs.hpp"
#include "gp/planner/plan_file.hpp"
#include "gp/viewer/plan_editor.hpp"
#include "gp/viewer/renderer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

gp::geo::MultiPolygon rect(double x0, double y0, double x1, double y1) {
  gp::geo::Polygon p;
  p.outer = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  return {p};
}

/// A lattice city as the planner would hand it to the plan-file writer: buildings 10 m
/// squares every 25 m; communities of 40x40 buildings; cells of 8x5 buildings (400
/// households at 10 per building); every 2x2 block of buildings is a compound; roads
/// along community edges.
struct SyntheticCity {
  gp::geo::Dataset dataset;
  gp::planner::Plan plan;
};

SyntheticCity synthetic_city(long n) {
  SyntheticCity out;
  auto& ds = out.dataset;
  auto& plan = out.plan;
  const long side = static_cast<long>(std::ceil(std::sqrt(static_cast<double>(n))));
  const double x0 = 500000, y0 = 4400000, step = 25;
  ds.work_crs = ds.source_crs = gp::geo::crs_to_wkt("EPSG:4548");
  auto area_code = [](long ax, long ay) { return fmt::format("110101{:03}{:03}", ax, ay); };
  const long blocks = (side + 39) / 40;
  for (long ay = 0; ay < blocks; ++ay)
    for (long ax = 0; ax < blocks; ++ax) {
      const double bx = x0 + ax * 40 * step, by = y0 + ay * 40 * step;
      gp::geo::Area area;
      area.code = area_code(ax, ay);
      area.name = fmt::format("社区{}-{}", ax, ay);
      area.geometry = rect(bx, by, bx + 40 * step, by + 40 * step);
      ds.areas.push_back(area);
      gp::planner::PlanArea pa;
      pa.code = area.code;
      pa.name = area.name;
      pa.geometry = area.geometry;
      for (long cy = 0; cy < 8; ++cy)
        for (long cx = 0; cx < 5; ++cx) {
          gp::planner::Cell cell;
          cell.code = area.code + fmt::format("{:03}", cy * 5 + cx + 1);
          cell.area_code = area.code;
          cell.area_index = plan.areas.size();
          cell.geometry = rect(bx + cx * 8 * step, by + cy * 5 * step, bx + (cx + 1) * 8 * step,
                               by + (cy + 1) * 5 * step);
          cell.area_m2 = gp::geo::area(cell.geometry);
          cell.perimeter_m = gp::geo::perimeter(cell.geometry);
          cell.polsby_popper = gp::geo::polsby_popper(cell.geometry);
          cell.contiguous = true;
          cell.parts = 1;
          pa.cells.push_back(plan.cells.size());
          plan.cells.push_back(std::move(cell));
        }
      plan.areas.push_back(std::move(pa));
    }
  ds.unit_attributes.fields = {{"building_id", gp::geo::FieldType::integer}};
  long id = 0;
  for (long row = 0; row < side && id < n; ++row)
    for (long col = 0; col < side && id < n; ++col, ++id) {
      const double cx = x0 + col * step + step / 2, cy = y0 + row * step + step / 2;
      const long ax = col / 40, ay = row / 40;
      gp::geo::Unit u;
      u.geometry = rect(cx - 5, cy - 5, cx + 5, cy + 5);
      u.anchor = {cx, cy};
      u.households = 10;
      u.households_source = gp::geo::ValueSource::given;
      u.area_code = area_code(ax, ay);
      u.compound_id = fmt::format("{}-{}-{}", u.area_code, (col % 40) / 2, (row % 40) / 2);
      ds.units.push_back(std::move(u));
      ds.unit_attributes.rows.push_back({std::int64_t{id}});
      const auto area = static_cast<std::size_t>(ay * blocks + ax);
      const auto cell =
          plan.areas[area].cells[static_cast<std::size_t>(((row % 40) / 5) * 5 + (col % 40) / 8)];
      plan.unit_cell.push_back(static_cast<std::int64_t>(cell));
      auto& c = plan.cells[cell];
      c.units.push_back(static_cast<std::uint32_t>(id));
      c.households += 10;
      c.balance += 10;
      plan.areas[area].units += 1;
      plan.areas[area].households += 10;
      plan.areas[area].balance += 10;
    }
  for (auto& c : plan.cells) c.within_bounds = c.balance >= 300 && c.balance <= 500;
  for (auto& a : plan.areas) {
    a.lower_bound = 300;
    a.upper_bound = 500;
  }
  // The planner's adjacency of this lattice: the Voronoi regions of neighbouring buildings
  // in a row or column of the same community share a 25 m side.
  for (long k = 0; k < id; ++k) {
    const long row = k / side, col = k % side;
    if (col + 1 < side && k + 1 < id && (col + 1) / 40 == col / 40)
      plan.adjacency.push_back(
          {static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k + 1), step, false});
    if (k + side < id && (row + 1) / 40 == row / 40)
      plan.adjacency.push_back(
          {static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k + side), step, false});
  }
  for (long k = 0; k <= blocks; ++k) {
    const double c = x0 + k * 40 * step, e = x0 + blocks * 40 * step;
    gp::geo::Barrier road;
    road.kind = gp::geo::BarrierKind::road;
    road.geometry = {{c, y0}, {c, y0 + (e - x0)}};
    ds.barriers.push_back(road);
    road.geometry = {{x0, y0 + (c - x0)}, {e, y0 + (c - x0)}};
    ds.barriers.push_back(road);
  }
  plan.options.min_weight = 300;
  plan.options.max_weight = 500;
  return out;
}

struct Summary {
  double mean, p50, p95, max;
};
Summary summarise(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  auto q = [&](double f) {
    return v[static_cast<std::size_t>(f * static_cast<double>(v.size() - 1))];
  };
  return {mean, q(0.5), q(0.95), v.back()};
}

} // namespace

int main(int argc, char** argv) try {
  if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  QGuiApplication app(argc, argv);
  std::string plan, write;
  long synthetic = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--synthetic" && i + 1 < argc)
      synthetic = std::atol(argv[++i]);
    else if (a == "--write" && i + 1 < argc)
      write = argv[++i];
    else
      plan = a;
  }
  if (plan.empty() && synthetic <= 0) {
    fmt::print(stderr, "usage: viewer_bench PLAN.gpkg | --synthetic N [--write OUT.gpkg]\n");
    return 1;
  }
  gp::viewer::MapModel model;
  gp::viewer::OpenedFile opened;
  const auto t_open = Clock::now();
  double read_ms = 0;
  if (synthetic > 0) {
    auto city = synthetic_city(synthetic);
    const double gen_ms = ms_since(t_open);
    fmt::print("generated synthetic plan of {} buildings in {:.0f} ms\n", synthetic, gen_ms);
    if (!write.empty()) {
      const auto t = Clock::now();
      gp::geo::WriteOptions o;
      o.geometry_crs = city.dataset.work_crs;
      gp::planner::plan_file::write_plan(write, city.dataset, city.plan, {}, o);
      fmt::print("wrote {} (plan_file::write_plan) in {:.0f} ms\n", write, ms_since(t));
      return 0;
    }
    const auto t = Clock::now();
    for (auto& l : gp::planner::plan_file::plan_layers(city.dataset, city.plan, {})) {
      if (l.kind == gp::geo::GeometryKind::none) continue;
      model.add_layer(std::move(l));
    }
    read_ms = ms_since(t);
    fmt::print("indexed layers in {:.0f} ms (no file reading)\n", read_ms);
  } else {
    opened = gp::viewer::open_file(plan);
    model = std::move(opened.model);
    read_ms = ms_since(t_open);
    fmt::print("read + indexed {} and read it through the plan contract (in parallel) in "
               "{:.0f} ms\n",
               plan, read_ms);
  }
  std::size_t units = 0;
  if (const auto* u = model.find("units")) units = u->size();
  const auto t_editor = Clock::now();
  std::unique_ptr<gp::viewer::PlanEditor> editor;
  if (opened.plan)
    editor = std::make_unique<gp::viewer::PlanEditor>(model, std::move(*opened.plan));
  else if (!plan.empty())
    fmt::print("not an editable plan: {}\n", opened.notice);
  const double editor_ms = ms_since(t_editor);
  fmt::print("plan editor (the contract's judgement) in {:.0f} ms\n", editor_ms);
  fmt::print("OPEN: {:.2f} s for {} buildings ({} cells); process CPU so far {:.1f} s (load "
             "independent: all threads)\n",
             (read_ms + editor_ms) / 1000, units,
             model.find("cells") ? model.find("cells")->size() : 0,
             static_cast<double>(std::clock()) / CLOCKS_PER_SEC);

  gp::viewer::MapRenderer renderer(model);
  if (const auto* cells = model.find("cells"))
    renderer.set_thematic(gp::viewer::make_thematic(*cells, "households"));
  renderer.set_units_by_cell(true);
  gp::viewer::Decorations deco;
  deco.title = false;
  gp::viewer::Viewport view = gp::viewer::Viewport::fit(model.extent(), 1280, 800, 10);
  QImage image(1280, 800, QImage::Format_ARGB32_Premultiplied);
  std::vector<double> frames;
  std::size_t max_drawn = 0, max_pixels = 0;
  // Zoom in towards a point off-centre (like a user's wheel) until ~0.5 m/pixel, then out.
  const QPointF anchor(1280 * 0.37, 800 * 0.61);
  auto frame = [&] {
    const auto t = Clock::now();
    image.fill(Qt::white);
    QPainter p(&image);
    const auto stats = renderer.render(p, view, deco);
    p.end();
    frames.push_back(ms_since(t));
    max_drawn = std::max(max_drawn, stats.features_drawn);
    max_pixels = std::max(max_pixels, stats.features_as_pixel);
  };
  frame(); // warm-up (fonts) not counted
  frames.clear();
  int steps = 0;
  while (view.metres_per_pixel > 0.5 && steps < 200) {
    view.zoom(1.25, anchor);
    frame();
    ++steps;
  }
  for (int k = 0; k < steps; ++k) {
    view.zoom(1 / 1.25, anchor);
    frame();
  }
  const auto s = summarise(frames);
  fmt::print("FRAMES: {} frames zooming in and out, 1280x800: mean {:.1f} ms, median {:.1f} ms, "
             "p95 {:.1f} ms, max {:.1f} ms -> {:.0f} fps mean, {:.0f} fps at p95\n",
             frames.size(), s.mean, s.p50, s.p95, s.max, 1000 / s.mean, 1000 / s.p95);
  fmt::print("       most features drawn as geometry in one frame: {}, as single pixels: {}\n",
             max_drawn, max_pixels);

  // The desktop widget's path: the same zoom in and out through the tile cache (tiles of
  // the layers per zoom level, labels and furniture drawn on top every frame), then a pan
  // across the screen at street level, 24 px per frame (a drag).
  {
    gp::viewer::TileCache tiles(renderer);
    auto tiled_frame = [&](std::vector<double>& out) {
      const auto t = Clock::now();
      QPainter p(&image);
      tiles.render(p, view, deco);
      p.end();
      out.push_back(ms_since(t));
    };
    std::vector<double> zoom_frames, pan_frames;
    view = gp::viewer::Viewport::fit(model.extent(), 1280, 800, 10);
    for (int k = 0; k < steps; ++k) {
      view.zoom(1.25, anchor);
      tiled_frame(zoom_frames);
    }
    for (int k = 0; k < steps; ++k) {
      view.zoom(1 / 1.25, anchor);
      tiled_frame(zoom_frames);
    }
    view = gp::viewer::Viewport::fit(model.extent(), 1280, 800, 10);
    view.metres_per_pixel = 1.5;
    for (int k = 0; k < 60; ++k) {
      view.pan(QPointF(-24, 0));
      tiled_frame(pan_frames);
    }
    const auto z = summarise(zoom_frames), pn = summarise(pan_frames);
    fmt::print("TILED ZOOM: {} frames: mean {:.1f} ms, median {:.1f} ms, p95 {:.1f} ms, max "
               "{:.1f} ms -> {:.0f} fps mean, {:.0f} fps at p95\n",
               zoom_frames.size(), z.mean, z.p50, z.p95, z.max, 1000 / z.mean, 1000 / z.p95);
    fmt::print("TILED PAN:  {} frames at 1.5 m/pixel: mean {:.1f} ms, p95 {:.1f} ms, max {:.1f} "
               "ms -> {:.0f} fps mean, {:.0f} fps at p95 ({} tiles rendered, {} reused)\n",
               pan_frames.size(), pn.mean, pn.p95, pn.max, 1000 / pn.mean, 1000 / pn.p95,
               tiles.tiles_rendered(), tiles.tiles_reused());
  }

  // Where the time goes: the same zoom sequence with one part switched off.
  auto sweep = [&] {
    frames.clear();
    gp::viewer::Viewport v = gp::viewer::Viewport::fit(model.extent(), 1280, 800, 10);
    for (int k = 0; k < steps; ++k) {
      v.zoom(1.25, anchor);
      std::swap(v, view);
      frame();
      std::swap(v, view);
    }
    return summarise(frames).mean;
  };
  for (auto& layer : model.layers()) {
    layer.visible = false;
    fmt::print("       without layer {:<10} mean {:.1f} ms (zoom in only)\n", layer.name(),
               sweep());
    layer.visible = true;
  }
  deco.labels = false;
  fmt::print("       without labels           mean {:.1f} ms (zoom in only)\n", sweep());
  deco.labels = true;

  if (editor) {
    // Hand edits with their redraw, as the desktop widget does it: the map around a border
    // building is on screen (tiles cached); the building moves to a neighbouring cell
    // (check + outlines recomputed + judgement), the tiles over the changed cells are
    // invalidated and the frame is drawn again.
    const auto* u = model.find("units");
    gp::viewer::TileCache tiles(renderer);
    std::vector<double> edits, with_frame;
    for (std::uint32_t i = 0; i < u->size() && edits.size() < 20; i += 997) {
      const std::vector<std::uint32_t> sel{i};
      const auto targets = editor->neighbour_cells(sel);
      if (targets.empty()) continue;
      view = gp::viewer::Viewport::fit(u->feature_box(i), 1280, 800, 10);
      view.metres_per_pixel = 1.0;
      {
        QPainter p(&image);
        tiles.render(p, view, deco);
      }
      const auto t = Clock::now();
      const auto step = editor->move(sel, targets.front());
      if (!step) continue;
      const double ms = ms_since(t);
      gp::geo::Box changed = gp::geo::Box::none();
      for (const auto& g : step->before) changed.expand(gp::geo::bounds(g));
      for (const auto& g : step->after) changed.expand(gp::geo::bounds(g));
      tiles.invalidate(changed);
      {
        QPainter p(&image);
        tiles.render(p, view, deco);
      }
      edits.push_back(ms);
      with_frame.push_back(ms_since(t));
      editor->undo(*step);
      tiles.invalidate(changed);
    }
    if (!edits.empty()) {
      const auto e = summarise(edits), f = summarise(with_frame);
      fmt::print("EDIT: {} accepted single-building moves: mean {:.1f} ms, max {:.1f} ms "
                 "(check + outlines + judgement); with the redraw of the 1280x800 frame: mean "
                 "{:.1f} ms, p95 {:.1f} ms, max {:.1f} ms\n",
                 edits.size(), e.mean, e.max, f.mean, f.p95, f.max);
    }
  }
  return 0;
} catch (const gp::Error& e) {
  fmt::print(stderr, "viewer_bench: error: {}\n", e.what());
  return 2;
}
