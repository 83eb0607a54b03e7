#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of gridplan from Debian 12 packages.
# Idempotent: packages already present are skipped quickly. Needs root or sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-bin
  libboost-graph-dev
  qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6svgwidgets6 qt6-translations-l10n
  libqt6opengl6-dev libgl-dev libxkbcommon-dev
  fonts-noto-cjk
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev libssl-dev
  metis libmetis-dev xvfb xauth sqlite3 hyperfine ccache
  # libFuzzer harnesses (bench/fuzz, preset "fuzz"): clang 14 and its sanitizer/fuzzer runtimes.
  clang libclang-rt-14-dev
  # MPI ranks (`mpirun -np N gridplan plan|simulate|compare|staff`, CMake GP_WITH_MPI).
  libboost-mpi-dev libopenmpi-dev openmpi-bin
  # GIS interchange tests: a throw-away PostGIS cluster (scripts/ci-postgis.sh) and
  # headless QGIS (tests/gis, qgis/ Processing provider).
  postgresql postgresql-15-postgis-3 postgis python3-qgis qgis qgis-providers
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
