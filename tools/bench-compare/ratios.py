#!/usr/bin/env python3
"""The performance targets (issue 5), computed from ONE Google Benchmark JSON
run of liballoc_bench (all ratios use CPU time of the same run, so machine
load cancels out as far as it can), printed as PASS/FAIL per target.

  ratios.py BENCH.json [--markdown]

Exit status 0 if every target whose benchmarks are present passes, 1 if one
fails, 2 if the run lacks benchmarks a target needs (reported as MISSING).

Targets (names as in liballoc_bench: BM_<Workload>/<ref|idx|pidx>/<PVs>/<areas>):
  one-shot, 4,096 PVs x 16 areas, linear and -i 16 normal, at the issue's
  own scale (Linear1000: 1,000 extents; Striped16x1000: 16,000 extents):
      reference / indexed >= 50       and   indexed / bare walk <= 3
      (the bare walk, BM_BareWalk, reads every area once: the floor)
  the same for the bigger LVs (64 mean areas per stripe, and the *Big 1/32
  of the VG): reference / indexed >= 50 is a target; indexed / bare walk is
  reported as information only (verdict "info"): those LVs take dozens to
  thousands of rounds and up to 23,000 pieces, work no allocator can fit in
  three readings of its input
  persistent index, 4,096 x 64, -i 16:   reference / persistent >= 1,000
  persistent index, -i 16, x 64:         cost at 65,536 PVs / cost at 1,024 PVs <= 3
  100%FREE, 256 x 16:                    reference / indexed >= 1,000
  100%FREE indexed, 1,024 x 16 and 4,096 x 16: < 1 s per allocation
  memory: persistent index bytes <= 64 per free area + 256 per PV + 4 KiB
      (the fixed part of the object): as built, and after the benchmark's
      allocate + release calls (checked on every pidx benchmark of the run;
      the worst one is shown)

  ratios.py BENCH.json --table [--vg 4096/16 --vg 4096/64 ...]
      prints a Markdown table of every workload on those VGs: CPU time of
      ref, idx, pidx, the bare walk, speedups and the work counters.
"""
import argparse
import json
import sys

PER_PV_ALLOWANCE = 256  # bytes per PV allowed on top of 64 per free area
FIXED_ALLOWANCE = 4096  # the index object itself


def load(path):
    with open(path) as f:
        data = json.load(f)
    bench = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        b["cpu_seconds"] = b["cpu_time"] * unit
        bench[b["name"]] = b
    return data, bench


class Targets:
    def __init__(self, bench):
        self.bench = bench
        self.rows = []  # (target, measured, threshold, verdict)

    def cpu(self, name):
        b = self.bench.get(name)
        return None if b is None else b["cpu_seconds"]

    def ratio(self, target, num, den, op, threshold, fmt="%.1fx", info=False):
        """A ratio of two CPU times against a threshold. info=True reports it
        without making it a target (verdict "info", never FAIL or MISSING)."""
        a, b = self.cpu(num), self.cpu(den)
        if a is None or b is None or b == 0:
            missing = [n for n, v in ((num, a), (den, b)) if v is None]
            self.rows.append((target, "missing " + ", ".join(missing), "",
                              "info" if info else "MISSING"))
            return
        r = a / b
        ok = r >= threshold if op == ">=" else r <= threshold
        if info:
            self.rows.append((target, fmt % r, "%s %g (information)" % (op, threshold), "info"))
            return
        self.rows.append((target, fmt % r, "%s %g" % (op, threshold), "PASS" if ok else "FAIL"))

    def absolute(self, target, name, limit_s):
        t = self.cpu(name)
        if t is None:
            self.rows.append((target, "missing " + name, "", "MISSING"))
            return
        self.rows.append((target, "%.3f s" % t, "< %g s" % limit_s,
                          "PASS" if t < limit_s else "FAIL"))

    def memory(self, counter, when):
        worst = None
        for name, b in self.bench.items():
            if "/pidx/" not in name or counter not in b:
                continue
            parts = name.split("/")
            pvs, areas = int(parts[2]), int(b["free_areas"])
            allowed = 64 * areas + PER_PV_ALLOWANCE * pvs + FIXED_ALLOWANCE
            used = b[counter]
            if worst is None or used / allowed > worst[0]:
                worst = (used / allowed, name, used, allowed, areas, pvs)
        target = "memory %s <= 64 B/area + %d B/PV + 4 KiB" % (when, PER_PV_ALLOWANCE)
        if worst is None:
            self.rows.append((target, "no pidx benchmark with " + counter, "", "MISSING"))
            return
        frac, name, used, allowed, areas, pvs = worst
        self.rows.append(("%s (worst: %s)" % (target, name),
                          "%d B (%.1f B/area)" % (used, used / max(areas, 1)),
                          "<= %d B" % allowed, "PASS" if used <= allowed else "FAIL"))


def evaluate(bench):
    t = Targets(bench)
    # (workload, label, whether idx / bare walk is a target or information)
    for w, label, floor in (
            ("Linear1000", "linear 1,000 extents", True),
            ("Striped16x1000", "-i 16 16,000 extents", True),
            ("Linear", "linear, 64 mean areas", False),
            ("Striped16", "-i 16, 64 mean areas per stripe", False),
            ("LinearBig", "linear, 1/32 of VG", False),
            ("Striped16Big", "-i 16, 1/32 of VG", False)):
        t.ratio("one-shot %s 4096x16: ref/idx" % label,
                "BM_%s/ref/4096/16" % w, "BM_%s/idx/4096/16" % w, ">=", 50)
        t.ratio("one-shot %s 4096x16: idx/bare walk" % label,
                "BM_%s/idx/4096/16" % w, "BM_BareWalk/4096/16", "<=", 3, info=not floor)
    t.ratio("persistent -i 16 4096x64: ref/pidx", "BM_Striped16/ref/4096/64",
            "BM_Striped16/pidx/4096/64", ">=", 1000)
    t.ratio("persistent -i 16 16,000 extents 4096x64: ref/pidx", "BM_Striped16x1000/ref/4096/64",
            "BM_Striped16x1000/pidx/4096/64", ">=", 1000, info=True)
    t.ratio("persistent -i 16 x64: pidx 65536 PVs / 1024 PVs", "BM_Striped16/pidx/65536/64",
            "BM_Striped16/pidx/1024/64", "<=", 3)
    t.ratio("persistent linear x64: pidx 65536 PVs / 1024 PVs", "BM_Linear/pidx/65536/64",
            "BM_Linear/pidx/1024/64", "<=", 3)
    t.ratio("100%FREE 256x16: ref/idx", "BM_FreeAll/ref/256/16", "BM_FreeAll/idx/256/16",
            ">=", 1000)
    t.ratio("100%FREE 256x16: ref/pidx", "BM_FreeAll/ref/256/16", "BM_FreeAll/pidx/256/16",
            ">=", 1000)
    t.absolute("100%FREE idx 1024x16", "BM_FreeAll/idx/1024/16", 1.0)
    t.absolute("100%FREE idx 4096x16", "BM_FreeAll/idx/4096/16", 1.0)
    t.memory("index_bytes", "as built")
    t.memory("index_bytes_after", "after allocate+release")
    return t.rows


def summary_table(bench, vgs):
    """Markdown: every workload on the given VGs, ref vs idx vs pidx."""
    out = ["| workload | VG (PVs/areas) | ref | idx | pidx | bare walk | ref/idx | ref/pidx | "
           "idx/bare | rounds | areas visited ref / idx | pieces | pidx B/area |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def t(name):
        b = bench.get(name)
        return None if b is None else b["cpu_seconds"]

    def fmt(sec):
        if sec is None:
            return "-"
        if sec >= 1:
            return "%.2f s" % sec
        if sec >= 1e-3:
            return "%.2f ms" % (sec * 1e3)
        return "%.1f us" % (sec * 1e6)

    def ratio(a, b, f="%.1fx"):
        return f % (a / b) if a is not None and b else "-"

    workloads = []
    for name in bench:
        w = name.split("/")[0][3:]
        if w != "BareWalk" and w not in workloads:
            workloads.append(w)
    for vg in vgs:
        bare = t("BM_BareWalk/" + vg)
        for w in workloads:
            ref, idx, pidx = (t("BM_%s/%s/%s" % (w, i, vg)) for i in ("ref", "idx", "pidx"))
            if idx is None and ref is None and pidx is None:
                continue
            any_b = next(bench[n] for n in ("BM_%s/%s/%s" % (w, i, vg) for i in ("idx", "pidx", "ref"))
                         if n in bench)
            ref_b = bench.get("BM_%s/ref/%s" % (w, vg), {})
            idx_b = bench.get("BM_%s/idx/%s" % (w, vg), {})
            pidx_b = bench.get("BM_%s/pidx/%s" % (w, vg), {})
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s |" % (
                w, vg, fmt(ref), fmt(idx), fmt(pidx), fmt(bare), ratio(ref, idx), ratio(ref, pidx),
                ratio(idx, bare), int(any_b.get("rounds", 0)),
                int(ref_b["areas_visited"]) if "areas_visited" in ref_b else "-",
                int(idx_b["areas_visited"]) if "areas_visited" in idx_b else "-",
                int(any_b.get("pieces", 0)),
                "%.1f" % pidx_b["bytes_per_free_area"] if "bytes_per_free_area" in pidx_b else "-"))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench_json")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--table", action="store_true",
                    help="print the per-workload summary table instead of the targets")
    ap.add_argument("--vg", action="append", help="PVs/areas for --table (repeatable)")
    args = ap.parse_args()
    _, bench = load(args.bench_json)
    if args.table:
        print(summary_table(bench, args.vg or ["256/16", "4096/16", "4096/64", "65536/64"]))
        return 0
    rows = evaluate(bench)
    header = ("target", "measured", "threshold", "verdict")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
        for r in [header] + rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    verdicts = {r[3] for r in rows}
    if "FAIL" in verdicts:
        return 1
    if "MISSING" in verdicts:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
