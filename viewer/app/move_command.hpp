#pragma once
// Undoable edit of a plan (QUndoStack): a move or a paint stroke already applied by
// PlanEditor::move(); undo/redo restore the exact assignments and cell outlines saved in
// the step and call `changed` so the window redraws the map and figures.

#include <QUndoCommand>

#include <functional>
#include <string>
#include <vector>

#include "gp/viewer/plan_editor.hpp"

namespace gp::viewer_app {

class MoveUnitsCommand : public QUndoCommand {
public:
  /// `step` has been applied already: the first redo() (QUndoStack::push) only notifies.
  MoveUnitsCommand(viewer::PlanEditor& editor, viewer::EditStep step,
                   std::function<void()> changed);
  void redo() override;
  void undo() override;
  const viewer::EditStep& step() const { return step_; }

private:
  viewer::PlanEditor& editor_;
  viewer::EditStep step_;
  std::function<void()> changed_;
  bool applied_ = true;
};

} // namespace gp::viewer_app
