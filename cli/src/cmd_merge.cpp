// `gridplan merge`: several agencies' grid layers -> one grid system that follows the
// rules and stays as close as possible to all of them (多网合一). See docs/user/merge.md.

#include <memory>

#include "commands.hpp"
#include "redraw_common.hpp"

namespace gp::cli {

void add_merge(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<RedrawFlags>();
  auto* cmd = app.add_subcommand(
      "merge", "Merge several grid layers into one grid system that follows the rules and stays "
               "closest to all of them (多网合一)");
  cmd->footer("Example: gridplan merge zongzhi.gpkg chengguan.gpkg:cells --city city.gpkg "
              "--out merged.gpkg\nSee docs/user/merge.md.");
  cmd->add_option("grids", flags->grids, "Grid layers to merge: SRC[:LAYER] (two or more)")
      ->required()
      ->expected(2, -1);
  cmd->add_option("--lock", flags->lock,
                  "Cell codes of the FIRST grid never changed (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--lock-field", flags->lock_field,
                  "Field of the first grid: cells where it is 1/true/yes are locked");
  add_redraw_flags(*cmd, *flags);
  cmd->callback([flags, &global] { run_redraw(*flags, true, global); });
}

} // namespace gp::cli
