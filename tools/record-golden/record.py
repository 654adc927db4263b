#!/usr/bin/env python3
"""Records golden conformance vectors from real LVM2 (see README.md).

  sudo tools/record-golden/record.py --scenarios linear,striped --out tests/golden

Needs root, losetup and lvm2. Touches only loop devices it creates itself.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import catalog  # noqa: E402
from lvm_sandbox import Sandbox  # noqa: E402

VG = "vg0"


class Interrupted(Exception):
    pass


def _on_signal(signum, _frame):
    raise Interrupted("signal %d" % signum)


def lvm_version():
    out = subprocess.run(["lvm", "version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         universal_newlines=True).stdout
    m = re.search(r"LVM version:\s*(.+)", out)
    return m.group(1).strip() if m else "unknown"


def seqno(text):
    return int(re.search(r"^\s*seqno = (\d+)", text, re.M).group(1))


def vg_content(text):
    """The VG section without its seqno: what a reverted commit restores."""
    body = text[text.index("\n%s {" % VG):]
    return re.sub(r"^\s*seqno = \d+\n", "", body, flags=re.M)


def unchanged_by_failure(before, after):
    """A failed command left the VG as it was: either nothing was committed
    (same seqno), or LVM committed and then reverted the new LV (some mirror
    failures, revert_new_lv): seqno rose but the content is identical."""
    return seqno(after) == seqno(before) or vg_content(after) == vg_content(before)


def user_command(sb, argv):
    """lvcreate always gets -Zn, and -an unless a device-mapper shim is
    preloaded (then the LV really is activated through the shim)."""
    if argv[0] != "lvcreate":
        return list(argv)
    extra = ["-Zn"] if sb.dm_shim else ["-an", "-Zn"]
    return [argv[0]] + extra + list(argv[1:])


def expand(argv, names):
    return [a.format(**names) for a in argv]


def range_args(names, ranges_by_pv):
    args, total = [], 0
    for i in sorted(ranges_by_pv):
        for a, b in ranges_by_pv[i]:
            args.append("%s:%d-%d" % (names["pv%d" % i], a, b))
            total += b - a + 1
    return args, total


def build_vg(sb, sc):
    devs = sb.use(sc.device_sizes())
    names = {"vg": VG}
    names.update({"pv%d" % i: d for i, d in enumerate(devs)})
    sb.vg = VG
    sb.run(["pvcreate", "-y"] + devs).check()
    sb.run(["vgcreate", "-s", sc.extent] + sc.vg_options + [VG] + devs).check()
    counts = [int(x) for x in re.findall(r"pe_count = (\d+)", sb.backup())]
    if counts != sc.pvs:
        raise RuntimeError("%s: PV extent counts %s, wanted %s" % (sc.slug, counts, sc.pvs))
    fillers = 0
    punched = []
    for step in sc.setup:
        kind = step[0]
        if kind in ("fill", "punch"):
            args, total = range_args(names, step[1])
            if not total:
                continue
            lv = "%s%d" % (kind, fillers)
            fillers += 1
            sb.run(user_command(sb, ["lvcreate", "-l", str(total), "-n", lv, VG] + args)).check()
            if kind == "punch":
                punched.append(lv)
        elif kind == "lvm":
            remove_punched(sb, punched)
            sb.run(user_command(sb, expand(step[1], names))).check()
        else:
            raise ValueError("unknown setup step %r" % (kind,))
    remove_punched(sb, punched)
    return names


def remove_punched(sb, punched):
    """Punch LVs go away before the first step that is not a fill, so the
    holes exist when the scenario's own LVs are created."""
    for lv in punched:
        sb.run(["lvremove", "-f", "%s/%s" % (VG, lv)]).check()
    del punched[:]


def record(sb, category, number, sc, version):
    names = build_vg(sb, sc)
    before = sb.backup()
    command = user_command(sb, expand(sc.command, names))
    res = sb.run(command, sc.config)
    after_text = sb.backup()
    if res.status != 0:
        if not unchanged_by_failure(before, after_text):
            raise RuntimeError("%s failed (exit %d) but changed the VG" % (sc.slug, res.status))
        after = None
    else:
        after = after_text
    return {
        "name": "%s/%03d-%s" % (category, number, sc.slug),
        "category": category,
        "description": sc.description,
        "lvm_version": version,
        "config": sc.config,
        "command": command,
        "before": before,
        "exit_status": res.status,
        "stderr": res.stderr,
        "stdout": res.stdout,
        "after": after,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", default="all",
                    help="comma-separated categories (%s) or 'all'; also 'sweep'"
                    % ",".join(catalog.CATEGORIES))
    ap.add_argument("--out", default="tests/golden", help="output root directory")
    ap.add_argument("--only", default="", help="record only scenarios whose slug contains this")
    ap.add_argument("--dm-shim", default="",
                    help="LD_PRELOAD this device-mapper shim into every lvm command; then "
                         "neither --driverloaded n nor -an is passed (untested plumbing)")
    ap.add_argument("--list", action="store_true", help="list scenarios, record nothing")
    ap.add_argument("--seed", type=int, default=catalog.SWEEP["seed"],
                    help="seed of the scratch 'sweep' category (not part of 'all')")
    ap.add_argument("--count", type=int, default=catalog.SWEEP["count"],
                    help="number of 'sweep' scenarios")
    args = ap.parse_args()
    catalog.SWEEP.update(seed=args.seed, count=args.count)
    known = dict(catalog.SCRATCH_CATEGORIES)
    known.update(catalog.CATEGORIES)

    cats = list(catalog.CATEGORIES) if args.scenarios == "all" else args.scenarios.split(",")
    for c in cats:
        if c not in known:
            ap.error("unknown category %r" % c)
    if args.list:
        for c in cats:
            for i, sc in enumerate(known[c](), 1):
                print("%s/%03d-%s  %s" % (c, i, sc.slug, sc.description))
        return 0
    if os.geteuid() != 0:
        ap.error("needs root (loop devices, lvm)")
    if args.dm_shim and not os.path.isfile(args.dm_shim):
        ap.error("no such shim: %s" % args.dm_shim)

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    version = lvm_version()
    sb = Sandbox(dm_shim=os.path.abspath(args.dm_shim) if args.dm_shim else None)
    failures = 0
    try:
        for c in cats:
            scenarios = known[c]()
            outdir = os.path.join(args.out, c)
            os.makedirs(outdir, exist_ok=True)
            if not args.only:
                for f in os.listdir(outdir):
                    if f.endswith(".json"):
                        os.unlink(os.path.join(outdir, f))
            t0, n = time.time(), 0
            for i, sc in enumerate(scenarios, 1):
                if args.only and args.only not in sc.slug:
                    continue
                try:
                    vec = record(sb, c, i, sc, version)
                except Interrupted:
                    raise
                except Exception as e:  # a broken scenario must not stop the others
                    failures += 1
                    print("FAILED %s/%03d-%s: %s" % (c, i, sc.slug, e), file=sys.stderr)
                    continue
                path = os.path.join(outdir, "%03d-%s.json" % (i, sc.slug))
                with open(path, "w") as f:
                    json.dump(vec, f, indent=2)
                    f.write("\n")
                n += 1
            dt = time.time() - t0
            print("%s: %d vectors in %.1f s (%.2f s/vector)" % (c, n, dt, dt / max(n, 1)))
    except Interrupted as e:
        print("interrupted (%s), cleaning up" % e, file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sb.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
