#!/usr/bin/env python3
"""The performance regression gate: a benchmark run against a committed baseline.

It compares only what a noisy, shared machine cannot blur:
  * the deterministic work counters of every benchmark (areas_visited, rounds,
    sources_touched, pieces): exactly;
  * instruction counts of a small fixed set of cases, counted by
    `valgrind --tool=callgrind` around the allocation calls only
    (liballoc_bench_case toggles collection): within --instr-threshold;
  * wall time only as a ratio measured in one run (reference time / indexed
    time of the same case): within --ratio-threshold.

Subcommands:
  measure   run the quick benchmark grid and the callgrind cases, write a
            measurement JSON (what bench/baseline/*.json holds)
  check     compare a measurement with a baseline; exit 1 with a table of what
            got worse, and by how much
  gate      measure + check (what CI runs)
  selftest  proves the gate works: a fresh baseline, an unchanged re-run that
            must pass and a run with LIBALLOC_BENCH_INJECT_SLOWDOWN=1 that must
            fail

Python 3 standard library only.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

COUNTERS = ("areas_visited", "rounds", "sources_touched", "pieces")

# The instruction-count cases: small enough for callgrind (a few seconds
# each), covering one-shot, persistent and reference paths and the policies
# with different code paths.
INSTRUCTION_CASES = (
    ("Linear", "idx", 256, 16),
    ("Striped16", "idx", 256, 16),
    ("ClingExtend", "idx", 256, 16),
    ("Raid5", "idx", 256, 8),
    ("FreeAll", "idx", 256, 8),
    ("Linear", "pidx", 256, 16),
    ("Striped16", "pidx", 1024, 16),
    ("Linear", "ref", 256, 16),
)
# Speedups are gated only where the reference call takes at least this much
# CPU time (microseconds, the benchmarks' unit) and the indexed one a tenth:
# shorter calls' speedups swung by 40% between two runs on this loaded
# 2-core machine, long ones stay within a few percent.
MIN_RATIO_CPU_US = 1000.0
SELFTEST_INSTRUCTION_CASES = (("Linear", "idx", 256, 8), ("Linear", "ref", 256, 8))
SELFTEST_FILTER = r"^BM_(Linear|Striped16)/(ref|idx|pidx)/(16|256)/(1|8)$"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def case_name(case):
    workload, impl, pvs, areas = case
    return "%s/%s/%d/%d" % (workload, impl, pvs, areas)


def run_benchmarks(bench, bench_filter, env_extra):
    env = dict(os.environ, LIBALLOC_BENCH_QUICK="1", **env_extra)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = tmp.name
    cmd = [bench, "--benchmark_out=" + out, "--benchmark_out_format=json"]
    if bench_filter:
        cmd.append("--benchmark_filter=" + bench_filter)
    log("gate: running " + " ".join(cmd))
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        raise SystemExit("gate: the benchmark run failed (exit %d):\n%s" % (proc.returncode, proc.stderr))
    with open(out) as f:
        data = json.load(f)
    os.unlink(out)
    return data


def parse_benchmarks(data):
    """Counters per benchmark and reference/indexed time ratios of one run."""
    counters, cpu = {}, {}
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration":
            continue
        name = b["name"]
        if b.get("error_occurred"):
            counters[name] = {"error": b.get("error_message", "error")}
            continue
        cpu[name] = b["cpu_time"]
        if name.startswith("BM_BareWalk/"):
            continue
        counters[name] = {k: int(round(b[k])) for k in COUNTERS if k in b}
    # Speedups of tiny calls are mostly timer and cache noise on a shared
    # machine: only calls where both sides take long enough are gated.
    ratios = {}
    for name, t in cpu.items():
        if t < MIN_RATIO_CPU_US:
            continue
        m = re.match(r"^BM_(\w+)/ref/(\d+)/(\d+)$", name)
        if not m:
            continue
        for impl in ("idx", "pidx"):
            other = "BM_%s/%s/%s/%s" % (m.group(1), impl, m.group(2), m.group(3))
            if other in cpu and cpu[other] >= MIN_RATIO_CPU_US / 10:
                ratios["%s/%s/%s/%s" % (m.group(1), impl, m.group(2), m.group(3))] = t / cpu[other]
    return counters, ratios


def count_instructions(driver, case, env_extra, calls=1):
    """Instructions of `calls` allocation calls of one case (callgrind counts
    only the calls: the driver toggles collection around them)."""
    workload, impl, pvs, areas = case
    with tempfile.NamedTemporaryFile(suffix=".callgrind", delete=False) as tmp:
        out = tmp.name
    cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
           "--callgrind-out-file=" + out, driver, "--workload", workload,
           "--impl", impl, "--pvs", str(pvs), "--areas", str(areas), "--calls", str(calls)]
    log("gate: callgrind " + case_name(case))
    env = dict(os.environ, **env_extra)
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        raise SystemExit("gate: %s failed under callgrind:\n%s" % (case_name(case), proc.stderr))
    total = None
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    os.unlink(out)
    if total is None:
        raise SystemExit("gate: no instruction total in callgrind output for " + case_name(case))
    return total, json.loads(proc.stdout)


def measure(args, env_extra=None, bench_filter=None, cases=INSTRUCTION_CASES):
    env_extra = env_extra or {}
    if args.bench_json:
        with open(args.bench_json) as f:
            data = json.load(f)
    else:
        data = run_benchmarks(args.bench, bench_filter or args.filter, env_extra)
    counters, ratios = parse_benchmarks(data)
    instructions = {}
    toolchain = None
    if not args.no_instructions:
        for case in cases:
            total, driver_counters = count_instructions(args.driver, case, env_extra)
            instructions[case_name(case)] = total
            toolchain = driver_counters.get("toolchain")
            name = "BM_" + case_name(case)
            # The driver's counters must be the benchmark's: one code path.
            if name in counters and "error" not in counters[name]:
                for k in COUNTERS:
                    if counters[name].get(k) != driver_counters[k]:
                        raise SystemExit("gate: %s: %s is %s in the benchmark but %s in the driver"
                                         % (name, k, counters[name].get(k), driver_counters[k]))
    return {
        "format": "liballoc-bench-measurement/1",
        "machine": {"node": platform.node(), "processor": platform.processor(),
                    "python": platform.python_version()},
        "benchmark_context": data.get("context", {}),
        "counters": counters,
        "instructions": instructions,
        "toolchain": toolchain,
        "time_ratios": ratios,
    }


def check(baseline, current, instr_threshold, ratio_threshold, out=sys.stdout):
    """Returns the number of regressions; prints a table of them."""
    rows = []  # (what, case, baseline, current, change)
    notes = []
    for name, base in sorted(baseline.get("counters", {}).items()):
        cur = current.get("counters", {}).get(name)
        if cur is None:
            notes.append("%s: in the baseline but not in this run" % name)
            continue
        if "error" in cur and "error" not in base:
            rows.append(("error", name, "ok", cur["error"], "now fails"))
            continue
        for k in COUNTERS:
            if k in base and base[k] != cur.get(k):
                b, c = base[k], cur.get(k, 0)
                change = "%+.1f%%" % (100.0 * (c - b) / b) if b else "new"
                rows.append((k, name, b, c, change))
    for name in sorted(set(current.get("counters", {})) - set(baseline.get("counters", {}))):
        notes.append("%s: new (not in the baseline)" % name)
    compared_instructions = 0
    same_toolchain = baseline.get("toolchain") == current.get("toolchain")
    if current.get("instructions") and not same_toolchain:
        rows.append(("instructions", "(all cases)", baseline.get("toolchain"),
                     current.get("toolchain"), "not comparable: build with the baseline's "
                     "build type and compiler, or refresh the baseline"))
    for name, base in sorted(baseline.get("instructions", {}).items()):
        if not same_toolchain:
            break
        cur = current.get("instructions", {}).get(name)
        if cur is None:
            if current.get("instructions"):
                notes.append("instructions %s: not measured in this run" % name)
            continue
        compared_instructions += 1
        if cur > base * (1 + instr_threshold):
            rows.append(("instructions", name, base, cur, "%+.1f%%" % (100.0 * (cur - base) / base)))
        elif cur < base * (1 - instr_threshold):
            notes.append("instructions %s: %d -> %d (%.1f%% fewer; refresh the baseline to keep it)"
                         % (name, base, cur, 100.0 * (base - cur) / base))
    compared_ratios = 0
    for name, base in sorted(baseline.get("time_ratios", {}).items()):
        cur = current.get("time_ratios", {}).get(name)
        if cur is None:
            continue
        compared_ratios += 1
        # ratio = reference time / indexed time: the speedup. Lower is worse.
        if cur < base * (1 - ratio_threshold):
            rows.append(("speedup vs ref", name, "%.2fx" % base, "%.2fx" % cur,
                         "%+.1f%%" % (100.0 * (cur - base) / base)))
    for n in notes:
        print("note: " + n, file=out)
    if not rows:
        print("gate: PASS (%d counter sets exact, %d instruction counts within %.0f%%, "
              "%d speedups within %.0f%%)" % (
                  len(baseline.get("counters", {})), compared_instructions,
                  instr_threshold * 100, compared_ratios, ratio_threshold * 100), file=out)
        return 0
    headers = ("measure", "case", "baseline", "now", "change")
    table = [headers] + [tuple(str(x) for x in r) for r in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    print("gate: FAIL: %d measure(s) got worse or changed" % len(rows), file=out)
    for i, r in enumerate(table):
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)), file=out)
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths), file=out)
    print("Counters are deterministic: any change means the core's work changed. If that "
          "is intended, refresh the baseline (docs/performance.md, 'Refreshing the baseline').",
          file=out)
    return len(rows)


def add_run_args(p):
    p.add_argument("--build", help="build directory (finds bench/liballoc_bench and "
                   "bench/liballoc_bench_case in it)")
    p.add_argument("--bench", help="the liballoc_bench binary")
    p.add_argument("--driver", help="the liballoc_bench_case binary")
    p.add_argument("--bench-json", help="use this Google Benchmark JSON instead of running")
    p.add_argument("--filter", help="--benchmark_filter for the benchmark run")
    p.add_argument("--no-instructions", action="store_true", help="skip callgrind")


def resolve_binaries(args):
    if args.build:
        args.bench = args.bench or os.path.join(args.build, "bench", "liballoc_bench")
        args.driver = args.driver or os.path.join(args.build, "bench", "liballoc_bench_case")
    if not args.bench_json and not args.bench:
        raise SystemExit("gate: give --build DIR or --bench BINARY")
    if not args.no_instructions and not args.driver:
        raise SystemExit("gate: give --build DIR or --driver BINARY (or --no-instructions)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    pm = sub.add_parser("measure", help="write a measurement JSON")
    add_run_args(pm)
    pm.add_argument("--out", required=True)
    pc = sub.add_parser("check", help="compare a measurement with a baseline")
    pc.add_argument("--baseline", required=True)
    pc.add_argument("--current", required=True)
    pg = sub.add_parser("gate", help="measure and check")
    add_run_args(pg)
    pg.add_argument("--baseline", required=True)
    pg.add_argument("--save", help="also write the measurement here")
    ps = sub.add_parser("selftest", help="prove that a slowed core fails the gate")
    add_run_args(ps)
    for p in (pc, pg, ps):
        p.add_argument("--instr-threshold", type=float, default=0.05,
                       help="allowed instruction-count growth (default 0.05 = 5%%)")
        p.add_argument("--ratio-threshold", type=float, default=0.50,
                       help="allowed drop of a reference/indexed speedup (default 0.50: the speedup halved)")
    args = ap.parse_args()

    if args.cmd == "check":
        with open(args.baseline) as f:
            baseline = json.load(f)
        with open(args.current) as f:
            current = json.load(f)
        return 1 if check(baseline, current, args.instr_threshold, args.ratio_threshold) else 0

    resolve_binaries(args)
    if args.cmd == "measure":
        m = measure(args)
        with open(args.out, "w") as f:
            json.dump(m, f, indent=1, sort_keys=True)
            f.write("\n")
        log("gate: wrote " + args.out)
        return 0
    if args.cmd == "gate":
        with open(args.baseline) as f:
            baseline = json.load(f)
        m = measure(args)
        if args.save:
            with open(args.save, "w") as f:
                json.dump(m, f, indent=1, sort_keys=True)
        return 1 if check(baseline, m, args.instr_threshold, args.ratio_threshold) else 0
    if args.cmd == "selftest":
        if args.bench_json:
            raise SystemExit("gate: selftest runs the benchmarks itself; drop --bench-json")
        flt = args.filter or SELFTEST_FILTER
        base = measure(args, bench_filter=flt, cases=SELFTEST_INSTRUCTION_CASES)
        log("gate selftest: unchanged re-run, must pass")
        same = measure(args, bench_filter=flt, cases=SELFTEST_INSTRUCTION_CASES)
        if check(base, same, args.instr_threshold, args.ratio_threshold):
            log("gate selftest: FAILED: an unchanged run did not pass")
            return 1
        log("gate selftest: run with LIBALLOC_BENCH_INJECT_SLOWDOWN=1, must fail")
        slow = measure(args, env_extra={"LIBALLOC_BENCH_INJECT_SLOWDOWN": "1"},
                       bench_filter=flt, cases=SELFTEST_INSTRUCTION_CASES)
        if not check(base, slow, args.instr_threshold, args.ratio_threshold):
            log("gate selftest: FAILED: the slowed run passed the gate")
            return 1
        log("gate selftest: OK (unchanged passes, slowed fails)")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
