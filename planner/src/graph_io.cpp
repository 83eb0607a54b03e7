#include "gp/planner/graph_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gp/core/error.hpp"

namespace gp::planner {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Parses whitespace-separated non-negative integers of one line.
bool parse_integers(std::string_view line, std::vector<long long>& out) {
  out.clear();
  const char* p = line.data();
  const char* end = p + line.size();
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
    if (p == end) break;
    long long value = 0;
    auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc{}) return false;
    out.push_back(value);
    p = next;
  }
  return true;
}

} // namespace

void write_metis_graph(const UnitGraph& g, const std::filesystem::path& path,
                       const MetisWriteOptions& options) {
  const std::size_t n = g.vertex_count();
  const bool edge_weights = options.edge_weight_scale > 0;
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw OutputError(fmt::format("{}: cannot be written", path.string()));
    out << n << ' ' << g.edge_count() << ' ' << (edge_weights ? "011" : "010") << '\n';
    std::string line;
    for (std::size_t v = 0; v < n; ++v) {
      line.clear();
      const double w = std::max(0.0, std::round(g.weight[v] * options.vertex_weight_scale));
      fmt::format_to(std::back_inserter(line), "{:.0f}", w);
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
        fmt::format_to(std::back_inserter(line), " {}", g.targets[k] + 1);
        if (edge_weights) {
          const double ew = std::max(1.0, std::round(g.edge_length[k] * options.edge_weight_scale));
          fmt::format_to(std::back_inserter(line), " {:.0f}", ew);
        }
      }
      line.push_back('\n');
      out << line;
    }
    out.flush();
    if (!out) throw OutputError(fmt::format("{}: write failed", path.string()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw OutputError(fmt::format("{}: cannot be written ({})", path.string(), ec.message()));
  }
}

UnitGraph read_metis_graph(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "cannot be opened");
  const std::string file = path.string();
  auto fail = [&](std::size_t line_no, const std::string& why) -> InputError {
    return InputError(file, fmt::format("line {}: {}", line_no, why));
  };

  std::string line;
  std::size_t line_no = 0;
  std::vector<long long> numbers;
  // Header: skip comment lines starting with '%'.
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_no;
    const auto t = trim(line);
    if (t.empty() || t.front() == '%') continue;
    have_header = true;
    break;
  }
  if (!have_header) throw InputError(file, "empty file: no METIS header line");
  if (!parse_integers(trim(line), numbers) || numbers.size() < 2 || numbers.size() > 4)
    throw fail(line_no, "header must be 'n m [fmt [ncon]]'");
  const long long n = numbers[0];
  const long long m = numbers[1];
  const long long fmt_code = numbers.size() >= 3 ? numbers[2] : 0;
  const long long ncon = numbers.size() >= 4 ? numbers[3] : 1;
  if (n < 0 || m < 0 || n > 2'000'000'000LL) throw fail(line_no, "bad vertex or edge count");
  const bool has_vsize = fmt_code / 100 % 10 == 1;
  const bool has_vwgt = fmt_code / 10 % 10 == 1;
  const bool has_ewgt = fmt_code % 10 == 1;
  if (fmt_code < 0 || fmt_code > 111 || (fmt_code % 10 > 1) || (fmt_code / 10 % 10 > 1))
    throw fail(line_no, fmt::format("unknown fmt code {}", fmt_code));
  if (ncon < 1 || ncon > 64) throw fail(line_no, "bad ncon");
  const long long weights_per_vertex = has_vwgt ? ncon : 0;
  // The header's counts are believed only as far as the file can hold them, before anything
  // is allocated for them (fuzzing found "60 14099999999" reserving 900 GB). Vertex v's line
  // holds k_v numbers, each at least a digit and a separator, so it takes at least
  // max(1, 2 k_v) bytes (one less for a last line without its newline): the file needs at
  // least n bytes and twice as many bytes as numbers (n x vertex numbers + 2 m entries).
  {
    std::error_code ec;
    const auto bytes = static_cast<long long>(std::filesystem::file_size(path, ec));
    const long long per_vertex = weights_per_vertex + (has_vsize ? 1 : 0);
    const long long per_entry = has_ewgt ? 2 : 1;
    if (!ec && (n > bytes + 1 || m > bytes || 2 * (n * per_vertex + 2 * m * per_entry) > bytes + 1))
      throw fail(line_no, fmt::format("header announces {} vertices and {} edges, more than a "
                                      "file of {} bytes can hold",
                                      n, m, bytes));
  }

  std::vector<Edge> edges;
  edges.reserve(static_cast<std::size_t>(m));
  std::vector<double> weight(static_cast<std::size_t>(n), 1.0);
  std::vector<std::vector<double>> secondary;
  if (has_vwgt && ncon > 1)
    secondary.assign(static_cast<std::size_t>(ncon - 1),
                     std::vector<double>(static_cast<std::size_t>(n)));
  std::size_t directed = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>>
      mirror; // entries (u,v) with u<v seen on v's line
  mirror.reserve(static_cast<std::size_t>(m));
  long long v = 0;
  while (v < n && std::getline(in, line)) {
    ++line_no;
    const auto t = trim(line);
    if (!t.empty() && t.front() == '%') continue;
    if (!parse_integers(t, numbers)) throw fail(line_no, "not a list of integers");
    std::size_t i = 0;
    if (has_vsize) ++i;
    if (numbers.size() < i + static_cast<std::size_t>(weights_per_vertex))
      throw fail(line_no, "missing vertex weight");
    for (long long c = 0; c < weights_per_vertex; ++c, ++i) {
      if (c == 0)
        weight[static_cast<std::size_t>(v)] = static_cast<double>(numbers[i]);
      else
        secondary[static_cast<std::size_t>(c - 1)][static_cast<std::size_t>(v)] =
            static_cast<double>(numbers[i]);
    }
    const std::size_t stride = has_ewgt ? 2 : 1;
    if ((numbers.size() - i) % stride != 0) throw fail(line_no, "neighbour without edge weight");
    for (; i < numbers.size(); i += stride) {
      const long long u = numbers[i] - 1;
      if (u < 0 || u >= n)
        throw fail(line_no, fmt::format("neighbour {} out of range 1..{}", numbers[i], n));
      if (u == v) throw fail(line_no, "self loop");
      const double len = has_ewgt ? static_cast<double>(numbers[i + 1]) : 1.0;
      ++directed;
      // Each undirected edge appears on both endpoints' lines; keep it once (from the lower
      // vertex) and check the mirror below through the counts.
      if (v < u)
        edges.push_back(
            Edge{static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(u), len, false});
      else
        mirror.emplace_back(static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(v));
    }
    ++v;
  }
  if (v < n) throw InputError(file, fmt::format("header announces {} vertices, file has {}", n, v));
  if (directed != static_cast<std::size_t>(2 * m) || edges.size() != static_cast<std::size_t>(m))
    throw InputError(file, fmt::format("header announces {} edges, adjacency lists hold {} "
                                       "entries (must be 2 per edge, listed on both endpoints)",
                                       m, directed));
  // Symmetry: every entry u on v's line must have v on u's line.
  {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> lower;
    lower.reserve(edges.size());
    for (const auto& e : edges) lower.emplace_back(e.a, e.b);
    std::sort(lower.begin(), lower.end());
    std::sort(mirror.begin(), mirror.end());
    if (lower != mirror) {
      auto [a, b] = std::mismatch(lower.begin(), lower.end(), mirror.begin(), mirror.end());
      const auto bad = a != lower.end() ? *a : *b;
      throw InputError(file, fmt::format("adjacency is not symmetric: vertex {} lists {} but not "
                                         "the reverse (or an edge is listed twice)",
                                         bad.first + 1, bad.second + 1));
    }
  }
  UnitGraph g = graph_from_edges(static_cast<std::size_t>(n), edges);
  if (g.targets.size() != directed) throw InputError(file, "an edge is listed twice");
  g.weight = std::move(weight);
  g.secondary = std::move(secondary);
  return g;
}

namespace {

using nlohmann::json;

std::string id_text(const json& id) {
  if (id.is_string()) return id.get<std::string>();
  return id.dump();
}

std::optional<double> number_of(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto s = value.get<std::string>();
    const char* b = s.data();
    const char* e = b + s.size();
    if (b != e && *b == '+') ++b;
    double d = 0;
    auto [p, ec] = std::from_chars(b, e, d);
    if (ec == std::errc{} && p == e) return d;
  }
  return std::nullopt;
}

} // namespace

NamedGraph read_networkx_json(const std::filesystem::path& path,
                              const NetworkxReadOptions& options) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(file, "cannot be opened");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    throw InputError(file, fmt::format("not valid JSON: {}", e.what()));
  }
  if (!doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array())
    throw InputError(file, "not a networkx graph: no \"nodes\" array");
  const auto& nodes = doc["nodes"];
  const std::size_t n = nodes.size();

  NamedGraph out;
  out.node_ids.reserve(n);
  std::unordered_map<std::string, std::uint32_t> index;
  index.reserve(n * 2);
  std::vector<double> weight(n, 1.0);
  std::vector<geo::Point> position(n);
  std::vector<std::int32_t> group(n, -1);
  for (std::size_t v = 0; v < n; ++v) {
    const auto& node = nodes[v];
    const auto feature = static_cast<long long>(v);
    if (!node.is_object() || !node.contains("id"))
      throw InputError(file, "nodes", feature, "node has no \"id\"");
    auto id = id_text(node["id"]);
    if (!index.emplace(id, static_cast<std::uint32_t>(v)).second)
      throw InputError(file, "nodes", feature, fmt::format("duplicate node id {}", id));
    out.node_ids.push_back(std::move(id));
    auto attribute = [&](const std::string& name) -> std::optional<double> {
      if (name.empty()) return std::nullopt;
      if (!node.contains(name))
        throw InputError(file, "nodes", feature,
                         fmt::format("node {} has no attribute '{}'", out.node_ids.back(), name));
      auto value = number_of(node[name]);
      if (!value)
        throw InputError(file, "nodes", feature,
                         fmt::format("node {}: attribute '{}' is not numeric ({})",
                                     out.node_ids.back(), name, node[name].dump()));
      return value;
    };
    if (auto w = attribute(options.weight_attribute)) weight[v] = *w;
    if (!options.x_attribute.empty() && !options.y_attribute.empty()) {
      position[v] = geo::Point{*attribute(options.x_attribute), *attribute(options.y_attribute)};
    }
    if (!options.group_attribute.empty() && node.contains(options.group_attribute) &&
        !node[options.group_attribute].is_null()) {
      auto gval = attribute(options.group_attribute);
      group[v] = static_cast<std::int32_t>(*gval);
    }
  }

  std::vector<Edge> edges;
  auto lookup = [&](const json& id, const std::string& layer, long long feature) {
    auto it = index.find(id_text(id));
    if (it == index.end())
      throw InputError(file, layer, feature,
                       fmt::format("edge refers to unknown node {}", id_text(id)));
    return it->second;
  };
  auto length_of = [&](const json& e, const std::string& layer, long long feature) {
    if (options.length_attribute.empty() || !e.contains(options.length_attribute)) return 1.0;
    auto value = number_of(e[options.length_attribute]);
    if (!value)
      throw InputError(file, layer, feature,
                       fmt::format("edge attribute '{}' is not numeric", options.length_attribute));
    return *value;
  };
  const char* link_key =
      doc.contains("links") ? "links" : (doc.contains("edges") ? "edges" : nullptr);
  if (link_key) {
    const auto& links = doc[link_key];
    if (!links.is_array()) throw InputError(file, fmt::format("\"{}\" is not an array", link_key));
    for (std::size_t i = 0; i < links.size(); ++i) {
      const auto& e = links[i];
      const auto feature = static_cast<long long>(i);
      if (!e.is_object() || !e.contains("source") || !e.contains("target"))
        throw InputError(file, link_key, feature, "link without source/target");
      edges.push_back(Edge{lookup(e["source"], link_key, feature),
                           lookup(e["target"], link_key, feature), length_of(e, link_key, feature),
                           false});
    }
  } else if (doc.contains("adjacency")) {
    const auto& adjacency = doc["adjacency"];
    if (!adjacency.is_array() || adjacency.size() != n)
      throw InputError(file, "\"adjacency\" must be an array with one list per node");
    for (std::size_t v = 0; v < n; ++v) {
      const auto feature = static_cast<long long>(v);
      if (!adjacency[v].is_array()) throw InputError(file, "adjacency", feature, "not a list");
      for (const auto& e : adjacency[v]) {
        if (!e.is_object() || !e.contains("id"))
          throw InputError(file, "adjacency", feature, "neighbour without \"id\"");
        const auto u = lookup(e["id"], "adjacency", feature);
        // Each undirected edge is listed on both endpoints: keep one copy.
        if (u > v)
          edges.push_back(
              Edge{static_cast<std::uint32_t>(v), u, length_of(e, "adjacency", feature), false});
      }
    }
  } else {
    throw InputError(file, "not a networkx graph: neither \"links\" nor \"adjacency\"");
  }

  out.graph = graph_from_edges(n, edges);
  out.graph.weight = std::move(weight);
  out.graph.position = std::move(position);
  out.graph.group = std::move(group);
  return out;
}

} // namespace gp::planner
