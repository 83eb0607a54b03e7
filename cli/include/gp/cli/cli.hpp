#pragma once

namespace gp::cli {

/// Runs the `gridplan` command line. Returns the process exit code: 0 success,
/// 1 usage error, 2 bad input or failed output (one-line message on stderr).
int run(int argc, char** argv);

} // namespace gp::cli
