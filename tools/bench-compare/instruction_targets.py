#!/usr/bin/env python3
"""The performance targets (issue 5) in instructions, counted by callgrind
through liballoc_bench_case: deterministic, so the verdicts do not move with
machine load as CPU-time ratios of a loaded machine can.

  instruction_targets.py --driver build-release/bench/liballoc_bench_case [--markdown]

A one-shot call (ref, idx) is counted once. A persistent call (pidx) is
counted in steady state: (instructions of 3 calls - of 1 call) / 2, each call
followed by the driver's uncounted release, so the first call's one-time
setup (the per-source state array, list memory) is not charged to every call.

Targets, as ratios.py states them for CPU time:
  one-shot 4,096 x 16, linear 1,000 extents and -i 16 16,000 extents:
      reference / indexed >= 50
  persistent 4,096 x 64, -i 16:      reference / persistent >= 1,000
  persistent -i 16 and linear, x 64: persistent at 65,536 PVs / at 1,024 <= 3
  100%FREE 256 x 16:                 reference / indexed >= 1,000, and
                                     reference / persistent >= 1,000
The reference on 4,096 x 64 and on 100%FREE 256 x 16 runs 0.4 G and 3.9 G
instructions: under callgrind this takes a few minutes.
Exit status 0 if every target passes, 1 otherwise.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import count_instructions  # noqa: E402


def instructions(driver, workload, impl, pvs, areas):
    case = (workload, impl, pvs, areas)
    if impl != "pidx":
        return count_instructions(driver, case, {})[0]
    one = count_instructions(driver, case, {}, calls=1)[0]
    three = count_instructions(driver, case, {}, calls=3)[0]
    return (three - one) / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--driver", required=True, help="liballoc_bench_case of a Release build")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    n = lambda *case: instructions(args.driver, *case)  # noqa: E731

    rows = []  # (target, reference or numerator, measured, ratio, threshold, verdict)

    def ratio(target, num, den, op, threshold):
        r = num / den
        ok = r >= threshold if op == ">=" else r <= threshold
        rows.append((target, "%.3g" % num, "%.3g" % den, "%.1fx" % r,
                     "%s %g" % (op, threshold), "PASS" if ok else "FAIL"))

    for workload, what in (("Linear1000", "linear 1,000 extents"),
                           ("Striped16x1000", "-i 16 16,000 extents")):
        ratio("one-shot %s 4096x16: ref/idx" % what, n(workload, "ref", 4096, 16),
              n(workload, "idx", 4096, 16), ">=", 50)
    ratio("persistent -i 16 4096x64: ref/pidx", n("Striped16", "ref", 4096, 64),
          n("Striped16", "pidx", 4096, 64), ">=", 1000)
    for workload in ("Striped16", "Linear"):
        ratio("persistent %s x64: pidx 65536 PVs / 1024 PVs" % workload,
              n(workload, "pidx", 65536, 64), n(workload, "pidx", 1024, 64), "<=", 3)
    free_ref = n("FreeAll", "ref", 256, 16)
    ratio("100%FREE 256x16: ref/idx", free_ref, n("FreeAll", "idx", 256, 16), ">=", 1000)
    ratio("100%FREE 256x16: ref/pidx", free_ref, n("FreeAll", "pidx", 256, 16), ">=", 1000)

    header = ("target", "numerator", "denominator", "ratio", "threshold", "verdict")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        for r in [header] + rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    return 1 if any(r[-1] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
