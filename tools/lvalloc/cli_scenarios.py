#!/usr/bin/env python3
"""Command-level conformance scenarios for lvalloc's planner, recorded with
real LVM2 2.03.16 through tools/record-golden (its Sandbox and recorder;
nothing here changes them).

They cover what the allocation catalogues do not: option combinations lvm's
command definitions refuse, option-value errors, LV name rules, lvextend to a
smaller size, sub-LV resize refusals, raid/mirror creation and extension
with PV lists, percent sizes, region and stripe sizes, seqno of raid/mirror
commits. All of them were replayed through the planner with identical
exit status, stderr, stdout and layout when this file was written.

  sudo tools/lvalloc/cli_scenarios.py --dm-shim build/tools/dmshim/libdmshim.so \
      --scenarios cli --out /tmp/cli-vectors

(--dm-shim is needed for the mirror/raid cases; see tools/dmshim/README.md.)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "record-golden"))

import catalog  # noqa: E402
import record  # noqa: E402
from scenario import Scenario as S, lvcreate, lvm  # noqa: E402


def new(*args, pvs=()):
    return ["lvcreate"] + list(args) + ["-n", "lv1", "{vg}"] + list(pvs)


def ext(*args, pvs=(), tool="lvextend"):
    return [tool] + list(args) + ["{vg}/lv1"] + list(pvs)


def mk(*args):
    """Setup: lvcreate ARGS -n lv1 vg [PVs] (PV placeholders moved last)."""
    opts = [a for a in args if not a.startswith("{pv")]
    pvs = [a for a in args if a.startswith("{pv")]
    return [lvcreate(*(opts + ["-n", "lv1", "{vg}"] + pvs))]


base = [lvcreate("-l", "10", "-n", "lv1", "{vg}", "{pv0}:0-9")]
striped2 = [lvcreate("-i", "2", "-l", "10", "-n", "lv1", "{vg}", "{pv0}:0-4", "{pv1}:0-4")]
raid1 = [lvcreate("--type", "raid1", "-m", "1", "-l", "6", "-n", "lv1", "{vg}")]
mirror = [lvcreate("--type", "mirror", "-m", "1", "-l", "6", "-n", "lv1", "{vg}")]
P3 = [30, 30, 30]
P4 = [30, 30, 30, 30]
R1 = mk("--type", "raid1", "-m", "1", "-l", "6", "{pv0}", "{pv1}")


def _syntax_and_sizes():
    return [
        S("no-size", "", P3, ["lvcreate", "-n", "lv1", "{vg}"]),
        S("raid1-mirrorlog", "", P3, new("--type", "raid1", "-m", "1", "--mirrorlog", "core", "-l", "4")),
        S("striped-nosync", "", P3, new("--nosync", "-l", "4")),
        S("striped-regionsize", "", P3, new("-R", "1m", "-l", "4")),
        S("m1-corelog", "", P3, new("-m", "1", "--corelog", "-l", "4")),
        S("name-reserved-rimage", "", P3, ["lvcreate", "-l", "1", "-n", "lv_rimage_0", "{vg}"]),
        S("name-snapshot", "", P3, ["lvcreate", "-l", "1", "-n", "snapshot", "{vg}"]),
        S("name-bad-char", "", P3, ["lvcreate", "-l", "1", "-n", "lv@1", "{vg}"]),
        S("extend-smaller-abs", "", P3, ext("-l", "5"), setup=base),
        S("extend-smaller-L", "", P3, ext("-L", "5m"), setup=base),
        S("extend-same", "", P3, ext("-l", "10"), setup=base),
        S("extend-striped-smaller", "", P3, ext("-l", "7"), setup=striped2),
        S("contiguous-y", "", P3, new("-C", "y", "-l", "10")),
        S("contiguous-conflict", "", P3, new("-C", "y", "--alloc", "normal", "-l", "10")),
        S("alloc-bogus", "", P3, new("--alloc", "bogus", "-l", "10")),
        S("L-fraction", "", P3, new("-L", "1.5")),
        S("L-3k", "", P3, new("-L", "3k")),
        S("L-513b", "", P3, new("-L", "513b")),
        S("vg-slash", "", P3, ["lvcreate", "-l", "1", "-n", "lv1", "{vg}/lv1"]),
        S("name-with-vg", "", P3, ["lvcreate", "-l", "1", "-n", "{vg}/lv1"]),
        S("unknown-vg", "", P3, ["lvcreate", "-l", "1", "-n", "lv1", "vg9"]),
        S("extend-unknown-lv", "", P3, ["lvextend", "-l", "+1", "{vg}/nope"], setup=base),
        S("extend-no-vg", "", P3, ["lvextend", "-l", "+1", "lv1"], setup=base),
        S("extend-no-size", "", P3, ["lvextend", "{vg}/lv1"], setup=base),
        S("raid1-nosync", "", P3, new("--type", "raid1", "-m", "1", "--nosync", "-l", "4")),
        S("raid1-R", "", P3, new("--type", "raid1", "-m", "1", "-R", "512k", "-l", "4")),
        S("raid5-R-small", "", P3, new("--type", "raid5", "-i", "2", "-R", "32k", "-l", "4")),
        S("linear-i2", "", P3, new("--type", "linear", "-i", "2", "-l", "4")),
        S("extend-m1-linear", "", P3, ext("-m", "1", "-l", "+2"), setup=base),
        S("single-stripe-I", "", P3, new("-I", "128", "-l", "4")),
        S("extents-attached", "", P3, ["lvcreate", "-l2", "-nlv1", "{vg}"]),
        S("extents-long-eq", "", P3, ["lvcreate", "--extents=2", "--name=lv1", "{vg}"]),
        S("extend-raid1-pvlist", "", P3, ext("-l", "+3", pvs=("{pv2}",)), setup=raid1),
        S("extend-mirror", "", P3, ext("-l", "+3"), setup=mirror),
        S("raid1-pct-free", "", P3, new("--type", "raid1", "-m", "1", "-l", "50%FREE")),
        S("mirror-pct-free", "", P3, new("--type", "mirror", "-m", "1", "-l", "100%FREE")),
        S("raid10-no-i", "", [20, 20, 20, 20], new("--type", "raid10", "-l", "8")),
        S("m2-i2-default-type", "", [20, 20, 20, 20, 20, 20], new("-m", "1", "-i", "2", "-l", "8")),
        S("i-too-many", "", P3, new("-i", "200", "-l", "8")),
        S("raid6-i2", "", [20] * 6, new("--type", "raid6", "-i", "2", "-l", "8")),
        S("raid0-i1", "", P3, new("--type", "raid0", "-i", "1", "-l", "8")),
        S("mirror-m0", "", P3, new("--type", "mirror", "-m", "0", "-l", "8")),
        S("striped-m0", "", P3, new("-m", "0", "-l", "8")),
        S("lvresize-plus-pct-lv", "", P3, ext("-l", "+50%LV", tool="lvresize"), setup=base),
        S("extend-minus", "", P3, ext("-l", "-2"), setup=base),
        S("lvcreate-pct-lv", "", P3, new("-l", "10%LV")),
        S("extend-L-plus-fraction", "", P3, ext("-L", "+1.5m"), setup=base),
        S("extend-i3-I-given", "", P3, ext("-i", "3", "-I", "64k", "-l", "+6"), setup=base),
        S("hidden-lv-extend", "", P3, ["lvextend", "-l", "+1", "{vg}/lv1_rimage_0"], setup=raid1),
        S("lvol-after-raid", "", P3, ["lvcreate", "-l", "1", "{vg}"],
          setup=[lvcreate("--type", "raid1", "-m", "1", "-l", "2", "{vg}")]),
    ]


def _layered_and_options():
    return [
        S("extend-mirror-striped", "", P4, ext("-l", "+4"), setup=mk("--type", "mirror", "-m", "1", "-i", "2", "-l", "4")),
        S("extend-raid1-pvlist2", "", P4, ext("-l", "+3", pvs=("{pv2}", "{pv3}")), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("extend-raid5-plus100free", "", P4, ext("-l", "+100%FREE"), setup=mk("--type", "raid5", "-i", "2", "-l", "6")),
        S("raid1-m2-two-pvs", "", [30, 30], new("--type", "raid1", "-m", "2", "-l", "4")),
        S("mirror-i2", "", P4, new("--type", "mirror", "-m", "1", "-i", "2", "-l", "6")),
        S("mirror-separate-logs-2pvs", "", [30, 30], new("--type", "mirror", "-m", "1", "-l", "6"),
          config="allocation { mirror_logs_require_separate_pvs = 1 }"),
        S("raid5-100vg", "", P3, new("--type", "raid5", "-l", "100%VG")),
        S("raid5-stripe-all", "", P4, new("--type", "raid5", "-l", "6"), config="allocation { raid_stripe_all_devices = 1 }"),
        S("raid10-stripe-all", "", P4 + [30, 30], new("--type", "raid10", "-l", "6"), config="allocation { raid_stripe_all_devices = 1 }"),
        S("lvresize-raid1-L", "", P3, ext("-L", "+8m", tool="lvresize"), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("extend-raid1-i2", "", P4, ext("-i", "2", "-l", "+2"), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("named-lvol5-then-default", "", P3, ["lvcreate", "-l", "1", "{vg}"], setup=[lvcreate("-l", "1", "-n", "lvol5", "{vg}")]),
        S("L-half", "", P3, new("-L", "0.5")),
        S("raid0-I-2m", "", P3, new("--type", "raid0", "-i", "2", "-I", "2m", "-l", "4")),
        S("raid1-R-64k", "", P3, new("--type", "raid1", "-m", "1", "-R", "64k", "-l", "10")),
        S("raid1-R-huge", "", P3, new("--type", "raid1", "-m", "1", "-R", "64m", "-l", "10")),
        S("extent-4m-L", "", [30, 30], new("-L", "10m"), extent="4m"),
        S("striped-i1-type", "", P3, new("--type", "striped", "-i", "1", "-l", "4")),
        S("extend-raid1-type-striped", "", P3, ext("--type", "striped", "-l", "+2"), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("extend-raid1-m1", "", P3, ext("-m", "1", "-l", "+2"), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("extend-raid1-m2", "", P3, ext("-m", "2", "-l", "+2"), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("alloc-cling-by-tags", "", P3, new("--alloc", "cling_by_tags", "-l", "4")),
        S("contiguous-n", "", P3, new("-C", "n", "-l", "4")),
        S("extend-striped-pct-vg", "", P3, ext("-l", "+10%VG"), setup=mk("-i", "2", "-l", "4")),
        S("extend-raid1-pct-free", "", P3, ext("-l", "+50%FREE"), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("extend-raid1-100vg", "", P3, ext("-l", "100%VG"), setup=mk("--type", "raid1", "-m", "1", "-l", "6")),
        S("extend-raid5-L1", "", P4, ext("-L", "+1"), setup=mk("--type", "raid5", "-i", "2", "-l", "6")),
        S("striped-i3-10free", "", P3, new("-i", "3", "-l", "10%FREE")),
        S("mirror-nosync", "", P3, new("--type", "mirror", "-m", "1", "--nosync", "-l", "4")),
        S("extend-raid10-i3-plus1", "", [20] * 6, ext("-l", "+1"), setup=mk("--type", "raid10", "-i", "3", "-m", "1", "-l", "6")),
        S("raid6-default", "", [20] * 5, new("--type", "raid6", "-l", "6")),
        S("raid4-i2", "", P3, new("--type", "raid4", "-i", "2", "-l", "6")),
        S("raid1-anywhere-1pv", "", [30], new("--type", "raid1", "-m", "1", "--alloc", "anywhere", "-l", "6")),
        S("mirror-corelog", "", P3, new("--type", "mirror", "-m", "1", "--corelog", "-l", "4")),
        S("mirror-m3", "", [20] * 5, new("--type", "mirror", "-m", "3", "-l", "4")),
        S("extend-mirror-pv-list", "", P4, ext("-l", "+2", pvs=("{pv3}",)), setup=mk("--type", "mirror", "-m", "1", "-l", "6")),
        S("extend-mirror-contiguous-blocked", "", P3, ext("--alloc", "contiguous", "-l", "+2"),
          setup=mk("--type", "mirror", "-m", "1", "-l", "6") + [lvcreate("-l", "1", "-n", "blk", "{vg}", "{pv0}:7")]),
        S("raid1-cling-tags", "", P4, new("--type", "raid1", "-m", "1", "--alloc", "cling", "-l", "4"),
          config='allocation { cling_tag_list = [ "@a" ] }'),
        S("lvcreate-lv-as-vg-name", "", P3, ["lvcreate", "-l", "1", "-n", "x", "{vg}", "{pv0}", "{pv0}:0"]),
    ]


def _percent_and_extension():
    return [
        S("ext-raid1-pct-pvs", "", P4, ext("-l", "+50%PVS", pvs=("{pv2}", "{pv3}")), setup=R1),
        S("ext-raid1-pvs-only", "", P4, ext(pvs=("{pv2}", "{pv3}")), setup=R1),
        S("ext-raid1-100pvs-abs", "", P4, ext("-l", "100%PVS", pvs=("{pv0}", "{pv1}")), setup=R1),
        S("raid10-100free", "", P4, new("--type", "raid10", "-l", "100%FREE")),
        S("mirror-50vg", "", P3, new("--type", "mirror", "-m", "1", "-l", "50%VG")),
        S("ext-mirror-i2-pvlist", "", P4 + [30], ext("-l", "+4", pvs=("{pv2}", "{pv3}", "{pv4}")),
          setup=mk("--type", "mirror", "-m", "1", "-i", "2", "-l", "4", "{pv0}", "{pv1}", "{pv2}", "{pv3}")),
        S("raid5-I16k", "", P3, new("--type", "raid5", "-i", "2", "-I", "16k", "-l", "10")),
        S("raid1-l1", "", P3, new("--type", "raid1", "-m", "1", "-l", "1")),
        S("mirror-l1", "", P3, new("--type", "mirror", "-m", "1", "-l", "1")),
        S("ext-mirror-100free", "", P3, ext("-l", "+100%FREE"), setup=mk("--type", "mirror", "-m", "1", "-l", "4")),
        S("raid6-i3-l10", "", [20] * 5, new("--type", "raid6", "-i", "3", "-l", "10")),
        S("raid5-50free", "", P3, new("--type", "raid5", "-i", "2", "-l", "50%FREE")),
        S("ext-raid10-50free", "", P4, ext("-l", "+50%FREE"), setup=mk("--type", "raid10", "-l", "4")),
        S("striped-I4m", "", P3, new("-i", "2", "-I", "4m", "-l", "4")),
        S("raid1-4m-L10m", "", P3, new("--type", "raid1", "-m", "1", "-L", "10m"), extent="4m"),
        S("ext-linear-i2-I128k", "", P3, ext("-i", "2", "-I", "128k", "-l", "+4"), setup=mk("-l", "4", "{pv0}")),
        S("striped-anywhere-1pv", "", [30], new("-i", "2", "--alloc", "anywhere", "-l", "10")),
        S("ext-striped-type-linear", "", P3, ext("--type", "linear", "-l", "+2"), setup=mk("-i", "2", "-l", "4")),
        S("raid1-100pvs", "", P4, new("--type", "raid1", "-m", "1", "-l", "100%PVS", pvs=("{pv1}", "{pv2}"))),
        S("ext-raid5-100vg", "", P4, ext("-l", "100%VG"), setup=mk("--type", "raid5", "-i", "2", "-l", "4")),
        S("ext-raid0-plus3", "", P3, ext("-l", "+3"), setup=mk("--type", "raid0", "-i", "2", "-l", "4")),
        S("ext-raid0meta-plus3", "", P3, ext("-l", "+3"), setup=mk("--type", "raid0_meta", "-i", "2", "-l", "4")),
        S("ext-raid6-plus5", "", [20] * 5, ext("-l", "+5"), setup=mk("--type", "raid6", "-i", "3", "-l", "6")),
        S("mirror-mlog-tags", "", P4, new("--type", "mirror", "-m", "1", "-l", "4"),
          setup=[lvm("pvchange", "--addtag", "t", "{pv2}")], config='allocation { cling_tag_list = [ "@t" ] }'),
        S("raid1-contig-frag", "", P3, new("--type", "raid1", "-m", "1", "--alloc", "contiguous", "-l", "12"),
          setup=[("fill", {0: [(10, 12)], 1: [(5, 6)]})]),
        S("mirror-cling-frag", "", P3, new("--type", "mirror", "-m", "1", "--alloc", "cling", "-l", "14"),
          setup=[("fill", {0: [(10, 12)], 1: [(5, 6)]})]),
        S("raid5-l-pct-vg-3pv", "", P3, new("--type", "raid5", "-l", "30%VG")),
        S("ext-mirror-L", "", P3, ext("-L", "+3m"), setup=mk("--type", "mirror", "-m", "1", "--corelog", "-l", "4")),
        S("lvol-name-after-lvol-neg", "", P3, ["lvcreate", "-l", "1", "{vg}"], setup=[lvcreate("-l", "1", "-n", "lvol9x", "{vg}")]),
        S("extend-abs-L-round", "", P3, ext("-L", "12.5m"), setup=mk("-l", "4")),
    ]

def cli():
    return _syntax_and_sizes() + _layered_and_options() + _percent_and_extension()


if __name__ == "__main__":
    catalog.CATEGORIES.clear()
    catalog.CATEGORIES["cli"] = cli
    sys.exit(record.main())
