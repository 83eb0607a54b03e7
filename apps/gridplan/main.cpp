#include "gp/cli/cli.hpp"

int main(int argc, char** argv) {
  return gp::cli::run(argc, argv);
}
