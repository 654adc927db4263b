#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything
# (library, tests, tools, bench, fuzz replayers) and runs every test with ctest:
# unit tests, RapidCheck properties, the seed C example, the LVM2 conformance
# vectors (through the core and end to end through lvalloc), the fuzz corpora.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR=${BUILD_DIR:-build} bash scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"${JOBS:-$(nproc)}"
