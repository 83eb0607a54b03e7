#pragma once
// A Qt application object for rendering without a display (`gridplan render`).

#include <memory>

namespace gp::viewer {

/// Ensures a QGuiApplication exists (fonts and painting need one). Without a display it
/// selects Qt's offscreen platform, and gives Qt a private runtime directory when
/// XDG_RUNTIME_DIR is unset. Returns an owner to keep alive while rendering, or null when
/// an application object already exists.
std::shared_ptr<void> ensure_gui_application();

} // namespace gp::viewer
