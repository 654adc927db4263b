#!/bin/bash -eu
# Builds liballoc's fuzz targets as OSS-Fuzz / ClusterFuzzLite does: with the
# environment's $CC $CXX $CFLAGS $CXXFLAGS (sanitizers and
# -fsanitize=fuzzer-no-link included), linked with $LIB_FUZZING_ENGINE, into
# $OUT, intermediate files in $WORK. Next to each <target>_fuzzer it puts
# <target>_fuzzer_seed_corpus.zip, <target>_fuzzer.options and, for metadata,
# <target>_fuzzer.dict.
#
# Also run outside Docker by tools/run-clusterfuzzlite-build.sh (system clang,
# Debian's abseil).
src="${LIBALLOC_SRC:-$SRC/liballoc}"
targets=(allocate differential sequence capi metadata)
jobs="${LIBALLOC_BUILD_JOBS:-$(nproc)}"

# Coverage goes to the code under test: liballoc and core/lvm. fuzz/CMakeLists.txt
# strips it from the harness (the default of LIBALLOC_FUZZ_HARNESS_FLAGS, the
# same flags as these); abseil is not under test either, so it is built with
# the sanitizers but without coverage instrumentation.
no_coverage="-fno-sanitize=fuzzer-no-link -fno-sanitize-coverage=func,bb,edge,trace-pc,trace-pc-guard,inline-8bit-counters,inline-bool-flag,pc-table,trace-cmp,trace-div,trace-gep,indirect-calls,stack-depth"

prefix_path=""
if [ -d "$SRC/abseil-cpp" ]; then
  # Abseil with the same compiler, sanitizers and C++ library as the fuzzers.
  cmake -S "$SRC/abseil-cpp" -B "$WORK/abseil-build" -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$CFLAGS $no_coverage" -DCMAKE_CXX_FLAGS="$CXXFLAGS $no_coverage" \
    -DCMAKE_CXX_STANDARD=17 -DABSL_PROPAGATE_CXX_STD=ON -DBUILD_TESTING=OFF \
    -DCMAKE_INSTALL_PREFIX="$WORK/deps"
  cmake --build "$WORK/abseil-build" -j"$jobs"
  cmake --install "$WORK/abseil-build" >/dev/null
  prefix_path="$WORK/deps"
fi

# CMAKE_BUILD_TYPE=None: optimisation and debug info come from $CFLAGS alone.
# The runner image has no libdevmapper: the fuzzers look for it in $OUT/lib.
cmake -S "$src" -B "$WORK/liballoc-build" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_PREFIX_PATH="$prefix_path" -DCMAKE_BUILD_RPATH='$ORIGIN/lib' \
  -DLIBALLOC_BUILD_TESTS=OFF -DLIBALLOC_BUILD_BENCH=OFF -DLIBALLOC_BUILD_TOOLS=OFF \
  -DLIBALLOC_BUILD_FUZZ=ON -DLIBALLOC_SANITIZE=OFF \
  -DLIBALLOC_FUZZ_ENGINE=libfuzzer -DLIBALLOC_FUZZ_ENGINE_FLAGS="$LIB_FUZZING_ENGINE"
cmake --build "$WORK/liballoc-build" -j"$jobs" --target "${targets[@]/%/_fuzzer}"

mkdir -p "$OUT/lib"
for t in "${targets[@]}"; do
  fuzzer="${t}_fuzzer"
  cp "$WORK/liballoc-build/fuzz/$fuzzer" "$OUT/"
  corpus="$src/corpus/$t"
  rm -f "$OUT/${fuzzer}_seed_corpus.zip"
  (cd "$corpus" && find seeds regressions -type f 2>/dev/null | sort |
     zip -q -j "$OUT/${fuzzer}_seed_corpus.zip" -@)
  cp "$src/fuzz/$fuzzer.options" "$OUT/"
  if [ -f "$src/fuzz/$t.dict" ]; then cp "$src/fuzz/$t.dict" "$OUT/$fuzzer.dict"; fi
  # Ship the shared libraries the runner image lacks.
  # (Once copied, ldd finds the copy through the rpath: nothing more to do.)
  ldd "$OUT/$fuzzer" | awk '/libdevmapper/ { print $3 }' | while read -r lib; do
    if [ "$(dirname "$lib")" != "$OUT/lib" ]; then cp -L "$lib" "$OUT/lib/"; fi
  done
done
