#!/usr/bin/env bash
# The README's main job: what does each policy cost, and how well does it
# place, from 16 to 65,536 PVs? Installs what is missing, builds in Release,
# runs the profiler sweep and the aging churn, and writes report/ (Markdown,
# HTML, JSON, PNG plots). Pass --quick for the one-minute version.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR=${BUILD_DIR:-build-release} BUILD_TYPE=Release bash scripts/build.sh \
  -DLIBALLOC_BUILD_TESTS=OFF -DLIBALLOC_BUILD_FUZZ=OFF
python3 tools/profile/profile.py --build "${BUILD_DIR:-build-release}" --out "${OUT:-report}" "$@"
