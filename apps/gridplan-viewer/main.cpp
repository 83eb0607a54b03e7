// gridplan-viewer: the desktop map of plans and simulation results (gp::viewer_app).
#include "main_window.hpp"

int main(int argc, char** argv) {
  return gp::viewer_app::run(argc, argv);
}
