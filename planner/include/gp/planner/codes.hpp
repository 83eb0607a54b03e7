#pragma once
// Grid cell code schemes: generation and validation. The one place the digit layouts are
// spelled (docs/user/hierarchy.md):
//   beijing15  6 district + 3 street + 3 community + 3 cell serial        (15 digits)
//   cjt349     2 object class ("01", unit grid) + 6 district + 3 street + 3 community
//              + 6 cell serial                                            (20 digits)
// The community code (12 digits: district + street + community) is common to both; a
// street code is its first 9 digits, a district code its first 6. Cell serials are given
// west->east, north->south (the planner's numbering order), starting at 1.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace gp::planner {

struct Plan;

namespace codes {

enum class Scheme { beijing15, cjt349 };

/// "beijing15" | "cjt349"; throws UsageError otherwise.
Scheme parse_scheme(const std::string& name);
const char* scheme_name(Scheme scheme);

inline constexpr std::size_t district_digits = 6;
inline constexpr std::size_t street_digits = 9;          ///< district + street
inline constexpr std::size_t community_digits = 12;      ///< district + street + community
inline constexpr const char* cjt349_object_class = "01"; ///< unit grid (单元网格)

/// Digits of a cell code in the scheme (15 or 20).
std::size_t cell_digits(Scheme scheme);
/// Largest serial the scheme can hold (999 or 999999).
int max_serial(Scheme scheme);

/// The code of cell number `serial` (>= 1) of a community. Throws UsageError when the
/// community code is not 12 digits or the serial does not fit.
std::string cell_code(Scheme scheme, const std::string& community_code, int serial);

/// The community (12 digits) a cell code names, or nullopt when the code does not fit the
/// scheme (length, digits, object class).
std::optional<std::string> community_of_cell(Scheme scheme, const std::string& code);
/// The street (9 digits) and district (6 digits) of a community, street or cell code of
/// any length >= 9 (>= 6) in the common layout (not cjt349 cell codes: use
/// community_of_cell first).
std::string street_of(const std::string& code);
std::string district_of(const std::string& code);

/// Whether `text` is `digits` decimal digits.
bool is_digits(const std::string& text, std::size_t digits);

/// A problem with one feature's code, for a one-line error or a report.
struct CodeIssue {
  std::size_t feature = 0; ///< index of the feature (row) in its layer
  std::string code;
  std::string problem; ///< "wrong length", "not digits", "parent mismatch", "duplicate"
  std::string detail;  ///< human-readable, names the values
};

/// Checks cell codes against a scheme: length and digits, the community they name against
/// `parents` (per feature the community code it lies in; "" = unknown, not checked), and
/// duplicates (a code on several features is reported on the second one). Issues in
/// feature order.
std::vector<CodeIssue> validate_cell_codes(Scheme scheme, const std::vector<std::string>& codes,
                                           const std::vector<std::string>& parents);

/// Checks community (12 digits) or street (9) codes: length and digits, the parent code
/// they start with against `parents` (per feature; "" = not checked), duplicates.
std::vector<CodeIssue> validate_area_codes(std::size_t digits,
                                           const std::vector<std::string>& codes,
                                           const std::vector<std::string>& parents);

/// Throws InputError(file, layer, feature, ...) for the first issue; does nothing when
/// there is none.
void throw_first(const std::vector<CodeIssue>& issues, const std::string& file,
                 const std::string& layer);

/// Gives every cell of the plan its code in the scheme, serial = its place in its area's
/// numbering order (PlanArea::cells, west->east, north->south); violations follow.
/// Throws InputError naming `areas_file`, layer "areas" and the area when an area code is
/// not 12 digits.
void apply_scheme(Plan& plan, Scheme scheme, const std::string& areas_file = "");

} // namespace codes
} // namespace gp::planner
