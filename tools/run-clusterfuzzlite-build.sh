#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh on this machine the way OSS-Fuzz's builder
# would: CC=clang CXX=clang++, CFLAGS/CXXFLAGS with ASan + UBSan and
# -fsanitize=fuzzer-no-link, LIB_FUZZING_ENGINE=-fsanitize=fuzzer, and SRC,
# OUT, WORK directories (temporary unless given). Then checks what OSS-Fuzz's
# check_build would: every fuzzer is there and runs its seed corpus cleanly,
# with its seed corpus zip and .options (and .dict where there is one).
#
#   tools/run-clusterfuzzlite-build.sh [--out DIR] [--work DIR]
#
# Exit status 0 only if the build and every check passed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
targets=(allocate differential sequence capi metadata)
out="" work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --work) work="$(realpath -m "$2")"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run-clusterfuzzlite-build: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for tool in clang clang++ cmake zip; do
  command -v "$tool" >/dev/null || { echo "run-clusterfuzzlite-build: $tool not found (bash scripts/setup.sh)" >&2; exit 2; }
done

tmp="$(mktemp -d /tmp/liballoc-cflite.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export SRC="$tmp/src"
export OUT="${out:-$tmp/out}"
export WORK="${work:-$tmp/work}"
mkdir -p "$SRC" "$OUT" "$WORK"
# The checkout itself is the source (a stable path, so a kept --work builds
# incrementally); $SRC holds only build.sh, as in the image.
export LIBALLOC_SRC="$root"
cp "$root/.clusterfuzzlite/build.sh" "$SRC/build.sh"

export CC=clang CXX=clang++
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize-address-use-after-scope"
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only $sanitize -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export LIBALLOC_BUILD_JOBS="${LIBALLOC_BUILD_JOBS:-2}"

echo "== building with .clusterfuzzlite/build.sh (OUT=$OUT)"
if ! (cd "$root" && bash -eu "$SRC/build.sh") > "$tmp/build.log" 2>&1; then
  tail -40 "$tmp/build.log"
  echo "run-clusterfuzzlite-build: FAILED: build.sh exited non-zero (log above)" >&2
  exit 1
fi

status=0
printf '\n%-14s %-6s %-7s %-7s %-5s %s\n' target binary seeds options dict "seed replay"
for t in "${targets[@]}"; do
  f="${t}_fuzzer"
  bin=no seeds=no opts=no dict=- replay=skipped
  [ -x "$OUT/$f" ] && bin=yes
  [ -s "$OUT/${f}_seed_corpus.zip" ] &&
    seeds="$(python3 -c 'import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))' \
             "$OUT/${f}_seed_corpus.zip")"
  [ -f "$OUT/$f.options" ] && opts=yes
  [ -f "$root/fuzz/$t.dict" ] && { [ -f "$OUT/$f.dict" ] && dict=yes || dict=MISSING; }
  if [ "$bin" = yes ] && [ "$seeds" != no ]; then
    # Known, unfixed crashes live in regressions/ and are in the zip too;
    # the replay here covers the seeds only (ctest replays regressions).
    rm -rf "$tmp/replay" && mkdir -p "$tmp/replay"
    (cd "$root/corpus/$t/seeds" && cp -- * "$tmp/replay/")
    if "$OUT/$f" -runs=0 -error_exitcode=77 "$tmp/replay" > "$tmp/$t.replay.log" 2>&1; then
      replay=ok
    else
      replay="FAILED (rc $?; log: $(grep -m1 -E 'ERROR|==== liballoc' "$tmp/$t.replay.log" || true))"
    fi
  fi
  printf '%-14s %-6s %-7s %-7s %-5s %s\n' "$t" "$bin" "$seeds" "$opts" "$dict" "$replay"
  if [ "$bin" != yes ] || [ "$seeds" = no ] || [ "$opts" != yes ] || [ "$dict" = MISSING ] ||
     [ "$replay" != ok ]; then
    status=1
  fi
done
if [ "$status" = 0 ]; then
  echo "run-clusterfuzzlite-build: OK: ${#targets[@]} fuzzers built in $OUT"
else
  echo "run-clusterfuzzlite-build: FAILED (see table)" >&2
fi
exit "$status"
