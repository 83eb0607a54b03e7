#include "move_command.hpp"

#include <fmt/core.h>

#include <set>

namespace gp::viewer_app {

MoveUnitsCommand::MoveUnitsCommand(viewer::PlanEditor& editor, std::vector<std::uint32_t> units,
                                   std::string target, std::function<void()> changed)
    : editor_(editor), units_(std::move(units)), target_(std::move(target)),
      changed_(std::move(changed)) {
  std::set<std::string> from;
  for (auto u : units_) {
    previous_.push_back(editor_.cell_of(u));
    from.insert(editor_.cell_of(u));
  }
  std::string donors;
  for (const auto& c : from) donors += (donors.empty() ? "" : ",") + c;
  std::string ids;
  for (std::size_t k = 0; k < units_.size() && k < 20; ++k)
    ids += (k ? "," : "") + std::to_string(units_[k]);
  if (units_.size() > 20) ids += ",...";
  description_ = fmt::format("moved {} building(s) [units #{}] from cell {} to cell {}",
                             units_.size(), ids, donors, target_);
  setText(QString::fromStdString(fmt::format("{} → {}", donors, target_)));
}

void MoveUnitsCommand::redo() {
  editor_.assign(units_, std::vector<std::string>(units_.size(), target_));
  editor_.log_edit(description_);
  if (changed_) changed_();
}

void MoveUnitsCommand::undo() {
  editor_.assign(units_, previous_);
  editor_.unlog_edit();
  if (changed_) changed_();
}

} // namespace gp::viewer_app
