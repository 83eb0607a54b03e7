#include "gp/viewer/headless.hpp"

#include <QCoreApplication>
#include <QGuiApplication>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gp::viewer {

std::shared_ptr<void> ensure_gui_application() {
  if (QCoreApplication::instance()) return nullptr;
  if (!std::getenv("QT_QPA_PLATFORM") && !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY"))
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
  if (!std::getenv("XDG_RUNTIME_DIR")) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("gridplan-runtime-" + std::to_string(::getuid()));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    if (!ec) setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
  }
  static int argc = 1;
  static char name[] = "gridplan";
  static char* argv[] = {name, nullptr};
  return std::make_shared<QGuiApplication>(argc, argv);
}

} // namespace gp::viewer
