// Inputs the libFuzzer harnesses of bench/fuzz found to crash, hang or exhaust memory, one test
// each, named after the harness and what went wrong (issue 11). Each is the fuzzer's own
// reproducer, byte for byte; the reader must refuse it with one gp::InputError.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "gp/core/error.hpp"
#include "gp/planner/graph_io.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;

fs::path write_bytes(const std::string& name, const std::string& bytes) {
  const fs::path p = gp::testing::temp_dir() / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

std::string error_of_metis(const fs::path& p) {
  try {
    gp::planner::read_metis_graph(p);
  } catch (const gp::InputError& e) {
    return e.what();
  }
  return "";
}

// metis_fuzz, crash-bb45cf87: the header announced 14,099,999,999 edges, which the reader
// reserved before reading a line (a 900 GB allocation: out of memory).
TEST(FuzzMetis, HeaderEdgeCountBeyondTheFileIsRefusedBeforeAllocating) {
  const std::string bytes("60 14099999999\n191 1 999999999 % a co\x9c"
                          "2\x00\x00\x00\x00"
                          "2\n11&2 2 \n1 4 5",
                          58);
  const auto p = write_bytes("crash.metis", bytes);
  ASSERT_EQ(fs::file_size(p), 58u);
  const std::string msg = error_of_metis(p);
  EXPECT_NE(msg.find("line 1: header announces 60 vertices and 14099999999 edges, more than a "
                     "file of 58 bytes can hold"),
            std::string::npos)
      << msg;
}

// The same bound for vertices (each needs a line) and for vertex weights (each a number).
TEST(FuzzMetis, HeaderVertexCountBeyondTheFileIsRefused) {
  EXPECT_NE(error_of_metis(write_bytes("v.metis", "1999999999 0\n\n")).find("more than a file"),
            std::string::npos);
  // 4 vertices with 64 weights each need 256 numbers: 512 bytes at least.
  EXPECT_NE(error_of_metis(write_bytes("w.metis", "4 0 10 64\n1\n")).find("more than a file"),
            std::string::npos);
}

// The bound never refuses a valid file written as tightly as METIS allows: one-digit
// numbers, single spaces, no newline after the last line.
TEST(FuzzMetis, TightestValidFilesStillRead) {
  const auto triangle = gp::planner::read_metis_graph(write_bytes("t.metis", "3 3\n2 3\n1 3\n1 2"));
  EXPECT_EQ(triangle.targets.size(), 6u);
  const auto weighted =
      gp::planner::read_metis_graph(write_bytes("w.metis", "2 1 11\n5 2 7\n6 1 7"));
  EXPECT_EQ(weighted.weight, (std::vector<double>{5, 6}));
  EXPECT_EQ(weighted.edge_length, (std::vector<double>{7, 7}));
}

} // namespace
