#pragma once
// Undoable move of units between cells (QUndoStack). The move was checked before the
// command is pushed; redo/undo only reassign and log.

#include <QUndoCommand>

#include <functional>
#include <string>
#include <vector>

#include "gp/viewer/plan_editor.hpp"

namespace gp::viewer_app {

class MoveUnitsCommand : public QUndoCommand {
public:
  MoveUnitsCommand(viewer::PlanEditor& editor, std::vector<std::uint32_t> units, std::string target,
                   std::function<void()> changed);
  void redo() override;
  void undo() override;

private:
  viewer::PlanEditor& editor_;
  std::vector<std::uint32_t> units_;
  std::vector<std::string> previous_;
  std::string target_;
  std::string description_;
  std::function<void()> changed_;
};

} // namespace gp::viewer_app
