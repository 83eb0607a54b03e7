#pragma once
// The one progress callback type of gridplan.

#include <functional>
#include <string>

namespace gp {

/// Progress of long work: `fraction` in [0,1] (non-decreasing within one stage) and a short
/// stage label. May be empty. Called from one thread at a time.
using ProgressFn = std::function<void(double fraction, const std::string& label)>;

} // namespace gp
