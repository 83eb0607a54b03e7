// Round trips and error messages of the graph exchange formats (METIS, networkx JSON).

#include <gtest/gtest.h>

#include <fstream>

#include "gp/core/error.hpp"
#include "gp/planner/graph_io.hpp"
#include "support.hpp"

namespace gp::planner {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

UnitGraph small_graph() {
  // A 2x3 grid plus a diagonal; lengths and weights distinct so a swap would show.
  UnitGraph g = graph_from_edges(6, {{0, 1, 10, false},
                                     {1, 2, 20, true},
                                     {3, 4, 30, false},
                                     {4, 5, 40, false},
                                     {0, 3, 50, false},
                                     {1, 4, 60, false},
                                     {2, 5, 70, false},
                                     {0, 4, 80, false}});
  g.weight = {1, 2, 3, 40, 50, 600};
  return g;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(GraphIo, MetisRoundTripKeepsAdjacencyAndWeights) {
  const auto g = small_graph();
  const auto path = gp::testing::temp_dir() / "g.metis";
  MetisWriteOptions options;
  options.edge_weight_scale = 1.0;
  write_metis_graph(g, path, options);
  const auto back = read_metis_graph(path);
  EXPECT_EQ(back.offsets, g.offsets);
  EXPECT_EQ(back.targets, g.targets);
  EXPECT_EQ(back.weight, g.weight);
  EXPECT_EQ(back.edge_length, g.edge_length);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
}

TEST(GraphIo, MetisWithoutEdgeWeightsIsTheFormatGpmetisReads) {
  const auto g = small_graph();
  const auto path = gp::testing::temp_dir() / "plain.metis";
  write_metis_graph(g, path);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "6 8 010");
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "1 2 4 5"); // weight 1, neighbours 1, 3, 4 (0-based) written 1-based
  const auto back = read_metis_graph(path);
  EXPECT_EQ(back.targets, g.targets);
  for (double l : back.edge_length) EXPECT_EQ(l, 1.0);
}

TEST(GraphIo, MetisReaderAcceptsCommentsAndUnweightedFiles) {
  const auto path = gp::testing::temp_dir() / "tri.metis";
  write_text(path, "% a triangle\n3 3\n2 3\n1 3\n1 2\n");
  const auto g = read_metis_graph(path);
  EXPECT_EQ(g.vertex_count(), 3u);
  EXPECT_EQ(g.edge_count(), 3u);
  EXPECT_EQ(g.weight, (std::vector<double>{1, 1, 1}));
}

TEST(GraphIo, MetisReaderNamesFileAndLineOfBadInput) {
  const auto dir = gp::testing::temp_dir();
  write_text(dir / "range.metis", "3 2\n2\n1 7\n2\n");
  EXPECT_NE(message_of([&] {
              read_metis_graph(dir / "range.metis");
            }).find("range.metis: line 3: neighbour 7 out of range"),
            std::string::npos);
  write_text(dir / "asym.metis", "3 2\n2 3\n1\n2\n");
  EXPECT_NE(message_of([&] { read_metis_graph(dir / "asym.metis"); }).find("not symmetric"),
            std::string::npos);
  // (The comment makes the file long enough to hold 5 edges, so that the count is checked
  // against the lists rather than refused from the file's size.)
  write_text(dir / "count.metis", "3 5\n% " + std::string(30, '.') + "\n2\n1 3\n2\n");
  EXPECT_NE(
      message_of([&] { read_metis_graph(dir / "count.metis"); }).find("header announces 5 edges"),
      std::string::npos);
  write_text(dir / "short.metis", "4 1\n2\n1\n");
  EXPECT_NE(message_of([&] {
              read_metis_graph(dir / "short.metis");
            }).find("header announces 4 vertices"),
            std::string::npos);
  write_text(dir / "text.metis", "2 1\n2 x\n1\n");
  EXPECT_NE(message_of([&] { read_metis_graph(dir / "text.metis"); }).find("line 2"),
            std::string::npos);
  EXPECT_THROW(read_metis_graph(dir / "absent.metis"), InputError);
}

TEST(GraphIo, NetworkxNodeLinkAndAdjacencyLayoutsGiveTheSameGraph) {
  const auto dir = gp::testing::temp_dir();
  write_text(dir / "links.json", R"({"directed": false, "nodes": [
      {"id": "a", "pop": 10, "x": "+1.5", "y": -2},
      {"id": "b", "pop": 20, "x": 3, "y": 4},
      {"id": "c", "pop": "30", "x": 5, "y": 6}],
    "links": [{"source": "a", "target": "b", "len": 2.5}, {"source": "b", "target": "c"}]})");
  write_text(dir / "adjacency.json", R"({"directed": false, "nodes": [
      {"id": "a", "pop": 10, "x": "+1.5", "y": -2},
      {"id": "b", "pop": 20, "x": 3, "y": 4},
      {"id": "c", "pop": "30", "x": 5, "y": 6}],
    "adjacency": [[{"id": "b", "len": 2.5}], [{"id": "a", "len": 2.5}, {"id": "c"}], [{"id": "b"}]]})");
  NetworkxReadOptions options;
  options.weight_attribute = "pop";
  options.x_attribute = "x";
  options.y_attribute = "y";
  options.length_attribute = "len";
  const auto links = read_networkx_json(dir / "links.json", options);
  const auto adjacency = read_networkx_json(dir / "adjacency.json", options);
  for (const auto* g : {&links, &adjacency}) {
    EXPECT_EQ(g->node_ids, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(g->graph.weight, (std::vector<double>{10, 20, 30}));
    EXPECT_EQ(g->graph.edge_count(), 2u);
    EXPECT_EQ(g->graph.position[0], (geo::Point{1.5, -2}));
    EXPECT_EQ(g->graph.edge_length[0], 2.5); // a-b
  }
  EXPECT_EQ(links.graph.targets, adjacency.graph.targets);
}

TEST(GraphIo, NetworkxErrorsNameTheNode) {
  const auto dir = gp::testing::temp_dir();
  write_text(dir / "missing.json", R"({"nodes": [{"id": 0, "pop": 1}, {"id": 1}], "links": []})");
  NetworkxReadOptions options;
  options.weight_attribute = "pop";
  const auto message = message_of([&] { read_networkx_json(dir / "missing.json", options); });
  EXPECT_NE(message.find("missing.json"), std::string::npos) << message;
  EXPECT_NE(message.find("node 1 has no attribute 'pop'"), std::string::npos) << message;
  write_text(dir / "unknown.json",
             R"({"nodes": [{"id": 0, "pop": 1}], "links": [{"source": 0, "target": 9}]})");
  EXPECT_NE(
      message_of([&] { read_networkx_json(dir / "unknown.json", options); }).find("unknown node 9"),
      std::string::npos);
  write_text(dir / "broken.json", "{\"nodes\": [");
  EXPECT_NE(
      message_of([&] { read_networkx_json(dir / "broken.json", options); }).find("not valid JSON"),
      std::string::npos);
}

TEST(GraphIo, NewHampshireTractsAreRead) {
  GP_REQUIRE_SHARED_DATA(path, "us-tracts/NH_tract_dual_graph.json");
  NetworkxReadOptions options;
  options.weight_attribute = "TOTPOP";
  const auto g = read_networkx_json(path, options);
  EXPECT_EQ(g.graph.vertex_count(), 295u);
  EXPECT_EQ(g.graph.edge_count(), 786u);
  EXPECT_DOUBLE_EQ(g.graph.total_weight(), 1316470); // NH 2010 census population
  // And the METIS file written from it reads back identically.
  const auto metis = gp::testing::temp_dir() / "nh.metis";
  write_metis_graph(g.graph, metis);
  const auto back = read_metis_graph(metis);
  EXPECT_EQ(back.targets, g.graph.targets);
  EXPECT_EQ(back.weight, g.graph.weight);
}

} // namespace
} // namespace gp::planner
