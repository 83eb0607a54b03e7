#include "move_command.hpp"

#include <fmt/core.h>

namespace gp::viewer_app {

MoveUnitsCommand::MoveUnitsCommand(viewer::PlanEditor& editor, viewer::EditStep step,
                                   std::function<void()> changed)
    : editor_(editor), step_(std::move(step)), changed_(std::move(changed)) {
  const auto& cells = editor_.plan().cells;
  const std::string to =
      step_.to >= 0 ? cells[static_cast<std::size_t>(step_.to)].code : std::string("-");
  setText(QString::fromStdString(fmt::format("{} building(s) → {}{}", step_.units.size(), to,
                                             step_.split_compounds.empty() ? "" : " (compound)")));
}

void MoveUnitsCommand::redo() {
  if (!applied_) editor_.redo(step_);
  applied_ = true;
  if (changed_) changed_();
}

void MoveUnitsCommand::undo() {
  editor_.undo(step_);
  applied_ = false;
  if (changed_) changed_();
}

} // namespace gp::viewer_app
