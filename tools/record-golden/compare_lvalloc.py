#!/usr/bin/env python3
"""Replays recorded vectors through the lvalloc binary and reports every
disagreement with real LVM2 (exit status, stderr, segments of every LV).

  tools/record-golden/compare_lvalloc.py --lvalloc build-x/tools/lvalloc/lvalloc DIR...

Meant for scratch recordings (e.g. the 'sweep' category); the committed
vectors are checked by tests/golden. Segments are compared as LVM wrote them
(start, length, type, and the PV/start list of stripes, mirrors or raids), so
PV keys must match: lvalloc writes the VG back with the same pvN keys.
No root needed. Exit status 1 if anything disagrees.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

_AREA_LISTS = ("stripes", "mirrors", "raids")


def segments_by_lv(text):
    """{lv name: [(start, count, type, [(area, start), ...]), ...]}"""
    lvs = {}
    m = re.search(r"\n\tlogical_volumes \{(.*)\n\t\}", text, re.S)
    if not m:
        return lvs
    for lv in re.finditer(r"\n\t\t(\S+) \{(.*?)\n\t\t\}", m.group(1), re.S):
        segs = []
        for seg in re.finditer(r"\n\t\t\tsegment\d+ \{(.*?)\n\t\t\t\}", lv.group(2), re.S):
            body = seg.group(1)
            start = int(re.search(r"start_extent = (\d+)", body).group(1))
            count = int(re.search(r"extent_count = (\d+)", body).group(1))
            kind = re.search(r'type = "([^"]+)"', body).group(1)
            areas = []
            for name in _AREA_LISTS:
                a = re.search(r"\b%s = \[(.*?)\]" % name, body, re.S)
                if a:
                    areas += re.findall(r'"([^"]+)"(?:, (\d+))?', a.group(1))
            segs.append((start, count, kind, areas))
        lvs[lv.group(1)] = segs
    return lvs


def compare(lvalloc, path):
    """Problems found for one vector, as text lines (empty: agrees)."""
    v = json.load(open(path))
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        meta, out = os.path.join(tmp, "before.vg"), os.path.join(tmp, "after.vg")
        with open(meta, "w") as f:
            f.write(v["before"])
        argv = [lvalloc, "--metadata", meta, "--write", out]
        if v["config"]:
            argv += ["--config", v["config"]]
        p = subprocess.run(argv + ["--"] + v["command"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        if p.returncode != v["exit_status"]:
            problems.append("exit status: lvm %d, lvalloc %d" % (v["exit_status"], p.returncode))
        got_err = [l.strip() for l in p.stderr.splitlines() if "Activation disabled" not in l]
        if got_err != [l.strip() for l in v["stderr"]]:
            problems.append("stderr: lvm %s, lvalloc %s" % (v["stderr"], got_err))
        if v["after"] is not None and p.returncode == 0 and os.path.exists(out):
            want, got = segments_by_lv(v["after"]), segments_by_lv(open(out).read())
            for lv in sorted(set(want) | set(got)):
                if want.get(lv) != got.get(lv):
                    problems.append("%s: lvm %s\n      lvalloc %s" % (lv, want.get(lv), got.get(lv)))
    return v, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lvalloc", required=True, help="path of the lvalloc binary")
    ap.add_argument("dirs", nargs="+", help="directories holding *.json vectors (searched recursively)")
    args = ap.parse_args()
    files = sorted(f for d in args.dirs for f in glob.glob(os.path.join(d, "**", "*.json"),
                                                           recursive=True))
    bad = 0
    for f in files:
        v, problems = compare(args.lvalloc, f)
        if problems:
            bad += 1
            print("DISAGREES %s: %s%s" % (v["name"], " ".join(v["command"]),
                                          ("  [config: %s]" % v["config"]) if v["config"] else ""))
            for line in problems:
                print("    " + line)
    print("%d vectors, %d disagree" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
