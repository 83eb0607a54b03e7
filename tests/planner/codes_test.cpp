// Cell code schemes: generated codes have the scheme's layout and name their community;
// validation reports wrong length, non-digits, parent mismatch and duplicates by feature;
// apply_scheme numbers cells in the planner's order; bad codes are one-line InputErrors.

#include <gtest/gtest.h>

#include "gp/core/error.hpp"
#include "gp/planner/codes.hpp"
#include "gp/planner/plan.hpp"

namespace gp::planner::codes {
namespace {

TEST(Codes, GeneratedCodesFollowTheLayout) {
  EXPECT_EQ(cell_code(Scheme::beijing15, "110101001002", 7), "110101001002007");
  EXPECT_EQ(cell_code(Scheme::cjt349, "110101001002", 7), "01110101001002000007");
  EXPECT_EQ(cell_code(Scheme::beijing15, "110101001002", 7).size(), cell_digits(Scheme::beijing15));
  EXPECT_EQ(cell_code(Scheme::cjt349, "110101001002", 7).size(), cell_digits(Scheme::cjt349));
  for (const auto s : {Scheme::beijing15, Scheme::cjt349})
    for (int serial : {1, 12, max_serial(s)})
      EXPECT_EQ(community_of_cell(s, cell_code(s, "110101001002", serial)), "110101001002");
  EXPECT_EQ(street_of("110101001002"), "110101001");
  EXPECT_EQ(district_of("110101001002007"), "110101");
  EXPECT_THROW(cell_code(Scheme::beijing15, "1101010010", 1), UsageError); // 10 digits
  EXPECT_THROW(cell_code(Scheme::beijing15, "110101001002", 1000), UsageError);
  EXPECT_NO_THROW(cell_code(Scheme::cjt349, "110101001002", 1000));
  EXPECT_EQ(parse_scheme("cjt349"), Scheme::cjt349);
  EXPECT_THROW(parse_scheme("gb"), UsageError);
}

TEST(Codes, ValidationNamesEachBadFeature) {
  const std::vector<std::string> codes{
      "110101001002001", // fine
      "11010100100201",  // 14 digits
      "11010100100200A", // not digits
      "110101001003001", // names community ...003, lies in ...002
      "110101001002001", // duplicate of feature 0
  };
  const std::vector<std::string> parents(codes.size(), "110101001002");
  const auto issues = validate_cell_codes(Scheme::beijing15, codes, parents);
  ASSERT_EQ(issues.size(), 4U);
  EXPECT_EQ(issues[0].feature, 1U);
  EXPECT_EQ(issues[0].problem, "wrong length");
  EXPECT_EQ(issues[1].feature, 2U);
  EXPECT_EQ(issues[1].problem, "not digits");
  EXPECT_EQ(issues[2].feature, 3U);
  EXPECT_EQ(issues[2].problem, "parent mismatch");
  EXPECT_EQ(issues[3].feature, 4U);
  EXPECT_EQ(issues[3].problem, "duplicate");
  // A beijing15 code is the wrong length for cjt349; a 20-digit code without the object
  // class is reported too.
  EXPECT_EQ(validate_cell_codes(Scheme::cjt349, {"110101001002001"}, {})[0].problem,
            "wrong length");
  EXPECT_EQ(validate_cell_codes(Scheme::cjt349, {"99110101001002000001"}, {})[0].problem,
            "wrong object class");
  EXPECT_TRUE(validate_cell_codes(Scheme::cjt349, {"01110101001002000001"}, {""}).empty());
}

TEST(Codes, AreaCodesAndTheFirstIssueAsAnInputError) {
  const auto issues = validate_area_codes(community_digits, {"110101001002", "110102001003"},
                                          {"110101001", "110101001"});
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].feature, 1U);
  EXPECT_EQ(issues[0].problem, "parent mismatch");
  try {
    throw_first(issues, "city.gpkg", "areas");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "city.gpkg");
    EXPECT_EQ(e.layer(), "areas");
    EXPECT_EQ(e.feature(), 1);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
  EXPECT_NO_THROW(throw_first({}, "city.gpkg", "areas"));
}

TEST(Codes, ApplySchemeNumbersCellsInPlanOrder) {
  Plan plan;
  plan.areas.resize(2);
  plan.areas[0].code = "110101001001";
  plan.areas[0].cells = {1, 0}; // numbering order: cell 1 first
  plan.areas[1].code = "110101001002";
  plan.areas[1].cells = {2};
  plan.cells.resize(3);
  for (std::size_t c = 0; c < 3; ++c) plan.cells[c].code = "old" + std::to_string(c);
  plan.violations.push_back(PlanViolation{"old0", "110101001001", "min", "too light"});
  apply_scheme(plan, Scheme::cjt349);
  EXPECT_EQ(plan.cells[1].code, "01110101001001000001");
  EXPECT_EQ(plan.cells[0].code, "01110101001001000002");
  EXPECT_EQ(plan.cells[2].code, "01110101001002000001");
  EXPECT_EQ(plan.violations[0].cell_code, "01110101001001000002");
  plan.areas[1].code = "X1";
  EXPECT_THROW(apply_scheme(plan, Scheme::beijing15), InputError);
}

} // namespace
} // namespace gp::planner::codes
