#pragma once
// Warnings are never lost: on stderr (even with --quiet), and with --json also as a
// "warnings" array in the JSON document on stdout.

#include <string>
#include <vector>

namespace gp::cli {

/// Prints each warning as "warning: TEXT" on stderr.
void print_warnings(const std::vector<std::string>& warnings);

/// The JSON document `json_text` (an object) with a "warnings" array added; prints the
/// warnings on stderr too. Returns the document as pretty JSON.
std::string json_with_warnings(const std::string& json_text,
                               const std::vector<std::string>& warnings);

} // namespace gp::cli
