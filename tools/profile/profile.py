#!/usr/bin/env python3
"""liballoc's policy-cost profiler: sweeps PV counts, fragmentation levels,
layouts and policies (reference, one-shot indexed and persistent index), runs
the aging churn, and writes a report folder:

  summary.md, index.html   tables: cost per allocation, placement quality,
                           aging; the plots inline in the HTML
  raw/sweep.jsonl          one JSON object per measured case
  raw/aging.jsonl          one JSON object per aging sample
  raw/report.json          both, plus the run's settings and machine
  plots/*.png              gnuplot (pngcairo): cost vs PV count per policy
                           (log-log, reference vs indexed), placement quality
                           per policy, fragmentation and cost over aging time

Usage:
  tools/profile/profile.py --build BUILD_DIR [--out DIR] [--quick]

The measuring is done by BUILD_DIR/bench/liballoc_profile (CPU time per
call, so a busy machine skews less); this script only drives it and reports.
Default run about 5 minutes on 2 cores, --quick about 1 minute.
Python 3 standard library and gnuplot (Debian: gnuplot-nox) only.
"""
import argparse
import collections
import datetime
import html
import json
import os
import platform
import shutil
import subprocess
import sys
import time

POLICIES = ["contiguous", "cling", "cling_by_tags", "normal", "anywhere"]
LAYOUTS = ["linear", "striped-i4", "striped-i16", "raid1-m2", "raid5-i4", "raid10-i2"]
IMPLS = ["ref", "idx", "pidx"]
IMPL_TITLES = {"ref": "reference", "idx": "indexed (one-shot)", "pidx": "persistent index"}

FULL = {
    "sweep": ["--pvs", "16,64,256,1024,4096,16384,65536", "--areas", "1,16,64",
              "--budget-ms", "20", "--reference-limit-ms", "100"],
    "aging": ["--pvs", "1024", "--areas", "1", "--steps", "20000", "--sample-every", "200",
              "--layouts", "linear,striped-i4"],
}
QUICK = {
    "sweep": ["--pvs", "16,256,1024,4096,16384", "--areas", "1,16",
              "--budget-ms", "2", "--reference-limit-ms", "20"],
    "aging": ["--pvs", "64", "--areas", "1", "--steps", "1500", "--sample-every", "50",
              "--layouts", "linear"],
}


def log(msg):
    print("profile: " + msg, file=sys.stderr, flush=True)


def run_driver(driver, mode, args, out_path):
    """Runs the driver, its stdout to out_path, its progress lines to our stderr."""
    cmd = [driver, mode] + args
    log("running " + " ".join(cmd))
    start = time.time()
    with open(out_path, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, universal_newlines=True)
        last = 0.0
        for line in proc.stderr:
            line = line.rstrip("\n")
            # Progress: at most a few lines a second, always the aging summaries.
            now = time.time()
            if line.startswith("aging") or now - last > 0.5:
                print("  %6.1fs %s" % (now - start, line), file=sys.stderr, flush=True)
                last = now
        if proc.wait() != 0:
            raise SystemExit("profile: %s failed (exit %d)" % (" ".join(cmd), proc.returncode))
    with open(out_path) as f:
        return [json.loads(line) for line in f if line.strip()]


def fmt_us(ns):
    if ns is None:
        return "-"
    us = ns / 1000.0
    if us >= 1000:
        return "%.1f ms" % (us / 1000)
    if us >= 10:
        return "%.0f us" % us
    return "%.2f us" % us


def lookup(sweep):
    table = {}
    for r in sweep:
        table[(r["areas_per_pv"], r["pvs"], r["layout"], r["policy"], r["impl"])] = r
    return table


def cost_table(sweep):
    """Rows (areas, policy, layout); columns per PV count: ref / idx / pidx."""
    t = lookup(sweep)
    pvs_list = sorted({r["pvs"] for r in sweep})
    areas_list = sorted({r["areas_per_pv"] for r in sweep})
    header = ["areas/PV", "policy", "layout"] + ["%d PVs: ref / idx / pidx" % p for p in pvs_list]
    rows = []
    for a in areas_list:
        for pol in POLICIES:
            for lay in LAYOUTS:
                cells = []
                present = False
                for p in pvs_list:
                    parts = []
                    for impl in IMPLS:
                        r = t.get((a, p, lay, pol, impl))
                        if r is None:
                            parts.append("-")
                        elif "skipped" in r:
                            parts.append("skip")
                        elif not r.get("ok"):
                            parts.append("fail")
                            present = True
                        else:
                            parts.append(fmt_us(r["ns_per_call"]))
                            present = True
                    cells.append(" / ".join(parts))
                if present:
                    rows.append([str(a) if a > 1 else "1 (empty)", pol, lay] + cells)
    return header, rows


def quality_vg(sweep):
    """The VG placement quality is reported for: the largest fragmented one."""
    frag = [r for r in sweep if r["areas_per_pv"] > 1] or sweep
    areas = max(r["areas_per_pv"] for r in frag)
    pvs = max(r["pvs"] for r in frag if r["areas_per_pv"] == areas)
    return areas, pvs


def quality_table(sweep):
    areas, pvs = quality_vg(sweep)
    t = lookup(sweep)
    header = ["policy", "layout", "outcome", "PVs touched", "segments", "pieces",
              "fragmentation before", "after", "ref/idx speedup"]
    rows = []
    for pol in POLICIES:
        for lay in LAYOUTS:
            r = t.get((areas, pvs, lay, pol, "idx"))
            if r is None:
                continue
            ref = t.get((areas, pvs, lay, pol, "ref"))
            speed = "-"
            if ref and ref.get("ok") and r.get("ok") and r["ns_per_call"] > 0:
                speed = "%.1fx" % (ref["ns_per_call"] / r["ns_per_call"])
            if r.get("ok"):
                rows.append([pol, lay, "ok", str(r["sources_touched"]), str(r["segments"]),
                             str(r["pieces"]), "%.3f" % r["fragmentation_before"],
                             "%.3f" % r.get("fragmentation_after", float("nan")), speed])
            else:
                rows.append([pol, lay, "fails: " + r.get("error", "?")[:60], "-", "-", "-",
                             "%.3f" % r["fragmentation_before"], "-", speed])
    return (areas, pvs), header, rows


def aging_table(aging):
    groups = collections.OrderedDict()
    for r in aging:
        groups.setdefault((r["layout"], r["policy"]), []).append(r)
    header = ["layout", "policy", "steps", "creates / extends / removes", "failed creates",
              "failed extends", "fragmentation (settled mean)", "fragmentation (max)",
              "free areas (last)", "PVs per LV (settled)", "segments per image (settled)",
              "cost first -> settled window"]
    rows = []
    for (lay, pol), rs in groups.items():
        last = rs[-1]
        st = settled(rs)

        def mean(k):
            return sum(x[k] for x in st) / len(st)
        timed = [x for x in st if x["allocations"]]
        settled_cost = (sum(x["ns_per_allocation"] * x["allocations"] for x in timed) /
                        max(1, sum(x["allocations"] for x in timed))) if timed else None
        rows.append([lay, pol, str(last["step"]),
                     "%d / %d / %d" % (last["creates"], last["extends"], last["removes"]),
                     str(last["failures"]), str(last["failed_extends"]),
                     "%.3f" % mean("fragmentation"), "%.3f" % max(x["fragmentation"] for x in rs),
                     str(last["free_areas"]), "%.2f" % mean("pvs_per_lv"),
                     "%.2f" % mean("pieces_per_image"),
                     "%s -> %s" % (fmt_us(rs[0]["ns_per_allocation"]), fmt_us(settled_cost))])
    return header, rows


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    return "\n".join(out)


def html_table(header, rows):
    out = ["<table>", "<tr>" + "".join("<th>%s</th>" % html.escape(h) for h in header) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join("<td>%s</td>" % html.escape(c) for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


# ---------------------------------------------------------------- plots

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"]


def gnuplot(script, workdir):
    proc = subprocess.run(["gnuplot"], input=script, cwd=workdir, universal_newlines=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise SystemExit("profile: gnuplot failed:\n" + proc.stderr)


def plot_cost(sweep, plots_dir, data_dir):
    """One plot per (policy, fragmentation): us per allocation vs PVs, log-log."""
    t = lookup(sweep)
    made = []
    for a in sorted({r["areas_per_pv"] for r in sweep}):
        for pol in POLICIES:
            series = []
            for li, lay in enumerate(LAYOUTS):
                for impl in IMPLS:
                    pts = []
                    for p in sorted({r["pvs"] for r in sweep}):
                        r = t.get((a, p, lay, pol, impl))
                        if r and r.get("ok"):
                            pts.append((p, r["ns_per_call"] / 1000.0))
                    if pts:
                        name = "cost_a%d_%s_%s_%s.dat" % (a, pol, lay, impl)
                        with open(os.path.join(data_dir, name), "w") as f:
                            f.writelines("%d %g\n" % pt for pt in pts)
                        series.append((name, lay, impl, COLORS[li % len(COLORS)]))
            if not series:
                continue
            png = "cost_%s_a%d.png" % (pol, a)
            frag = "empty VG" if a == 1 else "%d free areas per PV" % a
            plots = []
            for name, lay, impl, color in series:
                dash = {"ref": 2, "idx": 1, "pidx": 3}[impl]
                pt = {"ref": 6, "idx": 7, "pidx": 5}[impl]
                plots.append("'data/%s' using 1:2 with linespoints lw 2 dt %d pt %d ps 0.8 "
                             "lc rgb '%s' title '%s %s'" % (name, dash, pt, color, lay, impl))
            gnuplot("""set terminal pngcairo noenhanced size 1000,640 font 'DejaVu Sans,10'
set output '%s'
set title "Cost per allocation vs PV count: policy %s, %s\\n(solid = indexed one-shot, dashed = reference, dotted = persistent index)"
set logscale xy
set xlabel 'PVs in the VG (log)'
set ylabel 'CPU time per allocation, microseconds (log)'
set grid xtics ytics mxtics mytics
set key outside right top
plot %s
""" % (png, pol, frag, ", \\\n     ".join(plots)), plots_dir)
            made.append(png)
    return made


def settled(rs):
    """The aging samples of the second half of a run: the churned state."""
    return rs[len(rs) // 2:] or rs


def plot_quality(aging, plots_dir, data_dir):
    """Placement quality per policy, from the aging churn (a single LV in a
    fresh VG says little; thousands of creates, extends and removes do)."""
    made = []
    layouts = [l for l in LAYOUTS if any(r["layout"] == l for r in aging)]
    for metric, label in (("pvs_per_lv", "PVs per LV (mean over live LVs)"),
                          ("pieces_per_image", "segments per LV image (PV areas per stripe/leg)"),
                          ("fragmentation", "fragmentation score of the free space")):
        name = "quality_%s.dat" % metric
        with open(os.path.join(data_dir, name), "w") as f:
            f.write("layout " + " ".join(POLICIES) + "\n")
            for lay in layouts:
                vals = []
                for pol in POLICIES:
                    rs = [r for r in aging if r["layout"] == lay and r["policy"] == pol]
                    vals.append("%g" % (sum(r[metric] for r in settled(rs)) / len(settled(rs)))
                                if rs else "NaN")
                f.write(lay + " " + " ".join(vals) + "\n")
        png = "quality_%s.png" % metric
        cols = ", ".join("'data/%s' using %d:xtic(1) title columnhead(%d) lc rgb '%s'"
                         % (name, i + 2, i + 2, COLORS[i]) for i in range(len(POLICIES)))
        gnuplot("""set terminal pngcairo noenhanced size 900,480 font 'DejaVu Sans,10'
set output '%s'
set title "Placement quality per policy: %s\\n(aging churn, %d PVs: mean over the second half of the run)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key outside right top
set ylabel '%s'
plot %s
""" % (png, label, aging[0]["pvs"], label, cols), plots_dir)
        made.append(png)
    return made


def plot_aging(aging, plots_dir, data_dir):
    made = []
    layouts = [l for l in LAYOUTS if any(r["layout"] == l for r in aging)]
    for lay in layouts:
        for metric, label, logy in (("fragmentation", "fragmentation score", False),
                                    ("ns_per_allocation", "CPU time per allocation, us", True),
                                    ("free_areas", "free areas in the VG", False),
                                    ("fill", "VG fill (share of PEs allocated)", False)):
            plots = []
            for i, pol in enumerate(POLICIES):
                rs = [r for r in aging if r["layout"] == lay and r["policy"] == pol]
                if not rs:
                    continue
                name = "aging_%s_%s_%s.dat" % (lay, pol, metric)
                scale = 1000.0 if metric == "ns_per_allocation" else 1.0
                with open(os.path.join(data_dir, name), "w") as f:
                    for r in rs:
                        if metric == "ns_per_allocation" and r["allocations"] == 0:
                            continue
                        f.write("%d %g\n" % (r["step"], r[metric] / scale))
                plots.append("'data/%s' using 1:2 with lines lw 2 lc rgb '%s' title '%s'"
                             % (name, COLORS[i], pol))
            png = "aging_%s_%s.png" % (lay, metric)
            pvs = aging[0]["pvs"]
            gnuplot("""set terminal pngcairo noenhanced size 1000,480 font 'DejaVu Sans,10'
set output '%s'
set title "Aging (%s LVs, %d PVs): %s over churn steps\\n(create/extend up to 85%% fill, remove down to 50%%, seeded)"
%s
set xlabel 'churn step'
set ylabel '%s'
set grid
set key outside right top
plot %s
""" % (png, lay, pvs, label, "set logscale y" if logy else "", label,
       ", \\\n     ".join(plots)), plots_dir)
            made.append(png)
    return made


# ---------------------------------------------------------------- report

def machine_summary():
    out = {"node": platform.node(), "python": platform.python_version()}
    try:
        lscpu = subprocess.run(["lscpu"], stdout=subprocess.PIPE, universal_newlines=True).stdout
        for line in lscpu.splitlines():
            k, _, v = line.partition(":")
            if k.strip() in ("Model name", "CPU(s)", "Thread(s) per core", "L2 cache", "L3 cache",
                             "Hypervisor vendor"):
                out[k.strip()] = v.strip()
    except OSError:
        pass
    return out


FRAGMENTATION_NOTE = (
    "Fragmentation score: the share of free extents that are not in their PV's largest "
    "free run, 1 - sum(largest run per PV) / sum(free per PV). 0 means every PV's free "
    "space is one run; it tends to 1 as free space splinters. Per PV because LVM2 "
    "allocates per PV (many PVs with one run each is not fragmented).")


AGING_NOTE = (
    "A seeded churn per policy and layout on one persistent AreaIndex: create (and extend, "
    "for linear and striped LVs, with the same policy) LVs of 1/8 to 1/4 of a PV's mean free "
    "space until 85% of the PEs are allocated, then remove random LVs down to 50%, and again. "
    "'Settled' = mean over the second half of the run. Cost is the mean CPU time of the "
    "allocations in each sample window. The placement-quality plots come from these runs.")


def write_report(out_dir, settings, sweep, aging, plots):
    cost_header, cost_rows = cost_table(sweep)
    (qa, qp), q_header, q_rows = quality_table(sweep)
    a_header, a_rows = aging_table(aging)
    machine = machine_summary()
    md = ["# liballoc policy-cost profile", "",
          "Generated %s by `tools/profile/profile.py %s`." % (
              settings["generated"], " ".join(settings["argv"])), "",
          "Machine: " + ", ".join("%s: %s" % kv for kv in machine.items()), "",
          "Times are CPU time per allocation call (the driver repeats each case for its "
          "budget). `ref` = AllocateReference, `idx` = AllocateIndexed (builds its index per "
          "call), `pidx` = a persistent AreaIndex (allocate, then release, per call). `skip` = "
          "the reference would take longer than the limit, `fail` = the policy cannot place the "
          "LV (same failure in every implementation). The LV is 1.5 mean-sized free areas per "
          "data stripe: the same LV in ever bigger VGs.", "",
          "## Cost per allocation", "", md_table(cost_header, cost_rows), "",
          "## One LV per policy (%d PVs x %d areas per PV)" % (qp, qa), "",
          "What one new LV looks like under each policy in the sweep's largest fragmented VG, "
          "and whether the policy can place it at all.", "",
          FRAGMENTATION_NOTE, "", md_table(q_header, q_rows), "",
          "## Aging", "",
          AGING_NOTE, "",
          md_table(a_header, a_rows), "", "## Plots", ""]
    for p in plots:
        md.append("![%s](plots/%s)" % (p, p))
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write("\n".join(md) + "\n")

    h = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>liballoc profile</title>",
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
         "font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
         "th{background:#eee}img{max-width:100%;display:block;margin:1em 0}</style></head><body>",
         "<h1>liballoc policy-cost profile</h1>",
         "<p>Generated %s by <code>tools/profile/profile.py %s</code>.</p>" % (
             html.escape(settings["generated"]), html.escape(" ".join(settings["argv"]))),
         "<p>Machine: %s</p>" % html.escape(", ".join("%s: %s" % kv for kv in machine.items())),
         "<p>CPU time per allocation call. ref = reference, idx = indexed one-shot, pidx = "
         "persistent index; skip = reference over the time limit; fail = the policy cannot "
         "place the LV.</p>",
         "<h2>Cost per allocation vs PV count</h2>"]
    for p in plots:
        if p.startswith("cost_"):
            h.append("<img src='plots/%s' alt='%s'>" % (p, p))
    h += ["<h2>Cost table</h2>", html_table(cost_header, cost_rows),
          "<h2>One LV per policy (%d PVs x %d areas per PV)</h2>" % (qp, qa),
          "<p>%s</p>" % html.escape(FRAGMENTATION_NOTE), html_table(q_header, q_rows)]
    for p in plots:
        if p.startswith("quality_"):
            h.append("<img src='plots/%s' alt='%s'>" % (p, p))
    h += ["<h2>Aging</h2>", "<p>%s</p>" % html.escape(AGING_NOTE), html_table(a_header, a_rows)]
    for p in plots:
        if p.startswith("aging_"):
            h.append("<img src='plots/%s' alt='%s'>" % (p, p))
    h.append("</body></html>")
    with open(os.path.join(out_dir, "index.html"), "w") as f:
        f.write("\n".join(h) + "\n")
    with open(os.path.join(out_dir, "raw", "report.json"), "w") as f:
        json.dump({"settings": settings, "machine": machine, "sweep": sweep, "aging": aging},
                  f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", help="build directory holding bench/liballoc_profile")
    ap.add_argument("--driver", help="the liballoc_profile binary (instead of --build)")
    ap.add_argument("--out", default="profile-report", help="report folder (default %(default)s)")
    ap.add_argument("--quick", action="store_true", help="small sweep for CI (about a minute)")
    args = ap.parse_args()
    driver = args.driver or (args.build and os.path.join(args.build, "bench", "liballoc_profile"))
    if not driver or not os.access(driver, os.X_OK):
        raise SystemExit("profile: no liballoc_profile binary; give --build BUILD_DIR "
                         "(configured with LIBALLOC_BUILD_BENCH=ON) or --driver PATH")
    if shutil.which("gnuplot") is None:
        raise SystemExit("profile: gnuplot not found (Debian package gnuplot-nox)")
    plan = QUICK if args.quick else FULL
    out_dir = args.out
    for sub in ("raw", "plots", os.path.join("plots", "data")):
        os.makedirs(os.path.join(out_dir, sub), exist_ok=True)
    settings = {"generated": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
                "argv": sys.argv[1:], "driver_args": plan}
    start = time.time()
    log("1/3 sweep (PVs x fragmentation x layout x policy x implementation)")
    sweep = run_driver(driver, "sweep", plan["sweep"], os.path.join(out_dir, "raw", "sweep.jsonl"))
    log("2/3 aging (churn per policy)")
    aging = run_driver(driver, "aging", plan["aging"], os.path.join(out_dir, "raw", "aging.jsonl"))
    log("3/3 plots and tables")
    plots_dir = os.path.join(out_dir, "plots")
    data_dir = os.path.join(plots_dir, "data")
    plots = plot_cost(sweep, plots_dir, data_dir)
    plots += plot_quality(aging, plots_dir, data_dir)
    plots += plot_aging(aging, plots_dir, data_dir)
    write_report(out_dir, settings, sweep, aging, plots)
    log("done in %.0f s: %s/index.html, %s/summary.md, %d plots" % (
        time.time() - start, out_dir, out_dir, len(plots)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
