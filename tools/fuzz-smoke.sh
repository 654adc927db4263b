#!/usr/bin/env bash
# CI's fuzz smoke run: every fuzz target, built as OSS-Fuzz builds it (ASan +
# UBSan + libFuzzer, via tools/run-clusterfuzzlite-build.sh), fuzzed for
# SECONDS each (default 30), one after the other, from its seed corpus, with
# the flags of its fuzz/<target>_fuzzer.options as ClusterFuzzLite passes them.
# Fails on any crash, leak, sanitizer report, timeout (-timeout) or
# out-of-memory; crash inputs are kept in the artifact directory.
#
#   tools/fuzz-smoke.sh [SECONDS]
#
# Environment:
#   LIBALLOC_FUZZ_OUT        reuse fuzzers already built there (skip the build)
#   LIBALLOC_FUZZ_ARTIFACTS  where crash inputs and logs go
#                            (default: build-fuzz-smoke/artifacts in the repo)
#   LIBALLOC_FUZZ_TARGETS    space-separated subset of targets
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-30}"
case "$seconds" in ''|*[!0-9]*) echo "fuzz-smoke: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac
read -r -a targets <<< "${LIBALLOC_FUZZ_TARGETS:-allocate differential sequence capi metadata}"
artifacts="${LIBALLOC_FUZZ_ARTIFACTS:-$root/build-fuzz-smoke/artifacts}"
# A single input may take this long before it counts as a hang.
unit_timeout=25

out="${LIBALLOC_FUZZ_OUT:-}"
if [ -z "$out" ]; then
  out="$root/build-fuzz-smoke/out"
  mkdir -p "$out" "$root/build-fuzz-smoke/work"
  "$root/tools/run-clusterfuzzlite-build.sh" --out "$out" --work "$root/build-fuzz-smoke/work"
fi
mkdir -p "$artifacts"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

options() {  # options FILE: its [libfuzzer] section as -key=value flags, as ClusterFuzzLite passes them
  [ -f "$1" ] || return 0
  awk '/^[ \t]*\[/ { in_section = ($0 ~ /^[ \t]*\[libfuzzer\]/); next }
       in_section && /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=/ {
         key = $0; sub(/[ \t]*=.*/, "", key); gsub(/[ \t]/, "", key)
         value = $0; sub(/^[^=]*=[ \t]*/, "", value); sub(/[ \t]+$/, "", value)
         print "-" key "=" value
       }' "$1"
}

status=0
total_runs=0
summary=()
for t in "${targets[@]}"; do
  f="${t}_fuzzer"
  if [ ! -x "$out/$f" ]; then
    summary+=("$(printf '%-14s %8s %10s %9s  %s' "$t" - - - "MISSING ($out/$f)")")
    status=1
    continue
  fi
  corpus="$(mktemp -d /tmp/liballoc-smoke-$t.XXXXXX)"  # new inputs go here, not into the repo
  # The target's .options first (max_len, entropic_scale_per_exec_time...),
  # then the smoke run's own flags, which win (libFuzzer: the last one counts).
  mapfile -t args < <(options "$out/$f.options")
  args+=(-max_total_time="$seconds" -timeout="$unit_timeout" -rss_limit_mb=2560
         -error_exitcode=77 -timeout_exitcode=78 -print_final_stats=1
         -artifact_prefix="$artifacts/$t-")
  [ -f "$out/$f.dict" ] && args+=(-dict="$out/$f.dict")
  log="$artifacts/$t.log"
  echo "== $t: ${seconds}s"
  set +e
  "$out/$f" "${args[@]}" "$corpus" "$root/corpus/$t/seeds" > "$log" 2>&1
  rc=$?
  set -e
  rm -rf "$corpus"
  # (a crash report may repeat the final stats: take the last)
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  case "$runs" in ''|*[!0-9]*) runs="" ;; esac
  total_runs=$((total_runs + ${runs:-0}))
  case "$rc" in
    0) result=ok ;;
    77) result="CRASH" ;;
    78) result="TIMEOUT (> ${unit_timeout}s on one input)" ;;
    *) result="FAILED (exit $rc)" ;;
  esac
  if [ "$rc" != 0 ]; then
    status=1
    what="$(grep -m1 -E '==== liballoc|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$log" || true)"
    artifact="$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | head -1)"
    result="$result: ${what:-see $log}${artifact:+ [input: $artifact]}"
  fi
  summary+=("$(printf '%-14s %8s %10s %9s  %s' "$t" "${seconds}s" "${runs:-?}" "${rate:-?}" "$result")")
done

echo
printf '%-14s %8s %10s %9s  %s\n' target budget execs "execs/s" result
printf '%s\n' "${summary[@]}"
echo "total executions: $total_runs (logs in $artifacts)"
if [ "$status" = 0 ]; then
  echo "fuzz-smoke: OK"
else
  echo "fuzz-smoke: FAILED" >&2
fi
exit "$status"
