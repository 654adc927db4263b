#!/usr/bin/env python3
"""Mirror and raid scenarios, recorded through the device-mapper shim.

Real LVM2 2.03.16 refuses mirror and raid (except raid0) creation with
--driverloaded n: it must activate and wipe the new rmeta/mlog LVs. On this
dm-less kernel they can only be recorded with tools/dmshim's libdmshim.so
preloaded, which emulates the kernel side only (see tools/dmshim/README.md).

As a module this file offers CATEGORIES = {"mirror": ..., "raid": ...} in
the shape of catalog.CATEGORIES. Run as a script it is record.py with these
two categories added (record.py's sandbox sets up the shim's state dir,
scratch device and monitoring = 0 when given --dm-shim):

  sudo tools/record-golden/scenarios_raid.py \\
      --dm-shim build-dmshim/tools/dmshim/libdmshim.so --scenarios mirror,raid
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from catalog import ext, new  # noqa: E402
from random_layouts import free_count, random_free, random_pvs, setup_for  # noqa: E402
from scenario import Scenario, layout, lvcreate, lvm  # noqa: E402

S = Scenario
MIRROR = ("--type", "mirror")
MIRRORED_LOG_OK = "global { support_mirrored_mirror_log = 1 }"
SEPARATE_LOG_PVS = "allocation { mirror_logs_require_separate_pvs = 1 }"
POLICIES = ["contiguous", "cling", "normal", "anywhere"]

# A fragmented 4-PV layout shared by the policy scenarios: every PV has two
# or three holes of different sizes.
FRAG4_PVS = [40, 40, 40, 40]
FRAG4_FREE = {0: [(0, 7), (15, 29)], 1: [(5, 24), (30, 35)],
              2: [(0, 3), (10, 17), (25, 39)], 3: [(8, 19), (28, 33)]}


def _mirror_log_args(log):
    return ["--mirrorlog", log], (MIRRORED_LOG_OK if log == "mirrored" else "")


def _tag(tag, *pvs):
    return [lvm("pvchange", "--addtag", tag, "{pv%d}" % i) for i in pvs]


def _random_mirror(rng, j):
    pvs = random_pvs(rng, rng.randint(3, 7), 10, 60)
    free = random_free(rng, pvs, 3, empty_prob=0.3, full_prob=0.1)
    if free_count(free) < 4:
        free[0] = [(0, pvs[0] - 1)]
    m = rng.randint(1, min(3, len(pvs) - 1))
    log = rng.choice(["core", "disk", "disk", "mirrored"])
    log_args, config = _mirror_log_args(log)
    fc = free_count(free)
    n = rng.randint(1, max(1, fc // (m + 1) + (3 if rng.random() < 0.2 else 0)))
    args = list(MIRROR) + ["-m", str(m), "-l", str(n)] + log_args
    if rng.random() < 0.15 and len(pvs) >= 2 * (m + 1):
        args += ["-i", "2"]
    pol = rng.choice([None, None, None] + POLICIES)
    if pol:
        args += ["--alloc", pol]
    desc = "random mirror: %d PVs %s, free %s, lvcreate %s" % (len(pvs), pvs, free, " ".join(args))
    return S("random-%02d" % j, desc, pvs, new(*args), setup_for(rng, pvs, free), config=config)


def _random_raid(rng, j):
    pvs = random_pvs(rng, rng.randint(3, 9), 10, 60)
    free = random_free(rng, pvs, 3, empty_prob=0.3, full_prob=0.1)
    if free_count(free) < 6:
        free[0] = [(0, pvs[0] - 1)]
    n_pvs = len(pvs)
    choices = [("raid1", ["-m", str(rng.randint(1, min(4, n_pvs - 1)))]),
               ("raid0", ["-i", str(rng.randint(2, min(4, n_pvs)))]),
               ("raid5", ["-i", str(rng.randint(2, min(4, n_pvs - 1)))]),
               ("raid10", ["-i", str(rng.randint(2, max(2, n_pvs // 2))), "-m", "1"])]
    if n_pvs >= 5:
        choices.append(("raid6", ["-i", str(rng.randint(3, min(5, n_pvs - 2)))]))
    if n_pvs >= 3:
        choices.append(("raid4", ["-i", "2"]))
    kind, shape = rng.choice(choices)
    fc = free_count(free)
    n = rng.randint(1, max(1, fc // 2 + (4 if rng.random() < 0.2 else 0)))
    args = ["--type", kind] + shape + ["-l", str(n)]
    pol = rng.choice([None, None, None] + POLICIES)
    if pol:
        args += ["--alloc", pol]
    desc = "random raid: %d PVs %s, free %s, lvcreate %s" % (len(pvs), pvs, free, " ".join(args))
    return S("random-%02d" % j, desc, pvs, new(*args), setup_for(rng, pvs, free))


# Every raid type once more, extended twice: once into the free space right
# after its images, once with that space taken so new segments must start
# elsewhere (on PVs of its own or shared with other images).
RAID_SHAPES = [
    ("raid0", ["-i", "2"], 2), ("raid0_meta", ["-i", "3"], 3),
    ("raid1", ["-m", "1"], 2), ("raid1", ["-m", "2"], 3), ("raid1", ["-m", "3"], 4),
    ("raid1", ["-m", "4"], 5), ("raid4", ["-i", "2"], 3), ("raid5", ["-i", "3"], 4),
    ("raid5_la", ["-i", "2"], 3), ("raid6", ["-i", "3"], 5), ("raid6_nc", ["-i", "3"], 5),
    ("raid10", ["-i", "3", "-m", "1"], 6),
]


def _extend_each_type():
    out = []
    for kind, shape, images in RAID_SHAPES:
        tag = "%s%s" % (kind, "".join(shape).replace("-", ""))
        pvs = [20] * (images + 2)
        lv = lvcreate("--type", kind, *shape, "-l", str(2 * images), "-n", "lv1", "{vg}",
                      *["{pv%d}" % i for i in range(images)])
        out.append(S("extend-%s-after" % tag, "lvextend %s %s into the space after its images."
                     % (kind, " ".join(shape)), pvs, ext("-l", "+%d" % images), setup=[lv]))
        # images occupy PE 0..k on pv0..pv{images-1}; a blocker takes the next 3
        blocker = lvcreate("-l", str(3 * images), "-n", "blk", "{vg}",
                           *["{pv%d}" % i for i in range(images)])
        out.append(S("extend-%s-blocked" % tag, "lvextend %s %s when other LVs follow its "
                     "images." % (kind, " ".join(shape)), pvs,
                     ext("-l", "+%d" % (3 * images)), setup=[lv, blocker]))
    return out


def _raid_metadata_sizes():
    """rmeta_extents (spec 2.5) exceeds one extent only for small extents."""
    return [
        S("rmeta-4k-extents-raid1", "raid1 with 4 KiB extents: multi-extent rmeta.",
          [3000, 3000, 3000], new("--type", "raid1", "-m1", "-l", "2000"), extent="4k"),
        S("rmeta-4k-extents-small-region", "raid1, 4 KiB extents, -R 64k: rmeta grows.",
          [9000, 9000], new("--type", "raid1", "-m1", "-l", "8000", "-R", "64k"), extent="4k"),
        S("rmeta-4k-extents-raid5", "raid5 -i2 with 4 KiB extents.", [3000] * 4,
          new("--type", "raid5", "-i", "2", "-l", "3000"), extent="4k"),
        S("rmeta-4k-extents-raid10", "raid10 -i2 with 4 KiB extents (copies in rimage size).",
          [3000] * 4, new("--type", "raid10", "-i", "2", "-m", "1", "-l", "3000"), extent="4k"),
        S("rmeta-4m-extents", "raid6 -i3 with 4 MiB extents.", [20] * 5,
          new("--type", "raid6", "-i", "3", "-l", "12"), extent="4m"),
        S("rmeta-4k-extend", "lvextend raid1 with 4 KiB extents.", [3000, 3000, 3000],
          ext("-l", "+700"), extent="4k",
          setup=[lvcreate("--type", "raid1", "-m1", "-l", "1000", "-n", "lv1", "{vg}")]),
    ]


def _raid_tags():
    tags = _tag("A", 0, 2, 4) + _tag("B", 1, 3, 5)
    all_tags = 'allocation { cling_tag_list = [ "@*" ] }'
    return [
        S("raid1-cling-tags-new", "raid1 -m1 with cling_tag_list @* on A/B tagged PVs.",
          [20] * 6, new("--type", "raid1", "-m1", "-l", "10"), setup=tags, config=all_tags),
        S("raid5-cling-tags-new", "raid5 -i2 with cling_tag_list @*.", [20] * 6,
          new("--type", "raid5", "-i", "2", "-l", "10"), setup=tags, config=all_tags),
        S("raid1-extend-cling-tags", "lvextend --alloc cling of raid1 with cling_tag_list @*.",
          [20] * 6, ext("-l", "+15", "--alloc", "cling"), config=all_tags,
          setup=tags + [lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}",
                                 "{pv0}", "{pv1}")]),
        S("raid1-extend-normal-tags", "lvextend raid1 (normal) with cling_tag_list @*.",
          [20] * 6, ext("-l", "+15"), config=all_tags,
          setup=tags + [lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}",
                                 "{pv0}", "{pv1}")]),
        S("raid10-extend-cling", "lvextend --alloc cling of raid10 without tags.", [15] * 6,
          ext("-l", "+10", "--alloc", "cling"),
          setup=[lvcreate("--type", "raid10", "-i", "2", "-m", "1", "-l", "12", "-n", "lv1", "{vg}",
                          "{pv0}", "{pv1}", "{pv2}", "{pv3}")]),
    ]


# --------------------------------------------------------------------------
def mirror():
    out = []
    for m in (1, 2, 3):
        for log in ("core", "disk", "mirrored"):
            log_args, config = _mirror_log_args(log)
            out.append(S("m%d-%s-log" % (m, log),
                         "mirror -m%d with a %s log on %d equal empty PVs." % (m, log, m + 3),
                         [30] * (m + 3), new(*MIRROR, "-m", str(m), "-l", "10", *log_args),
                         config=config))
    out += [
        S("m1-i2-disk", "mirror -m1 -i2: striped legs, disk log.", [30] * 5,
          new(*MIRROR, "-m1", "-i2", "-l", "10")),
        S("m1-i2-core", "mirror -m1 -i2 with a core log.", [30] * 5,
          new(*MIRROR, "-m1", "-i2", "-l", "10", "--mirrorlog", "core")),
        S("m1-i2-log-shares-pv", "mirror -m1 -i2 on exactly four PVs: the log shares a data PV.",
          [30] * 4, new(*MIRROR, "-m1", "-i2", "-l", "10")),
        S("m2-i2-disk", "mirror -m2 -i2 on seven PVs.", [30] * 7,
          new(*MIRROR, "-m2", "-i2", "-l", "12")),
        S("log-on-data-pv-two-pvs", "mirror -m1 on two PVs: the disk log lands after a leg.",
          [30, 30], new(*MIRROR, "-m1", "-l", "10")),
        S("log-on-data-pv-unequal", "mirror -m1 on two unequal PVs: where the log goes.",
          [20, 35], new(*MIRROR, "-m1", "-l", "15")),
        S("log-third-pv-unequal", "mirror -m1 on three unequal PVs.", [20, 40, 30],
          new(*MIRROR, "-m1", "-l", "15")),
        S("log-smallest-pv-last", "Log PV choice when the last PV is the smallest.", [40, 40, 5],
          new(*MIRROR, "-m1", "-l", "20")),
        S("log-full-last-pv", "Last PV full: log goes to the last PV with space.", [30, 30, 30, 30],
          new(*MIRROR, "-m1", "-l", "10"), setup=layout([30] * 4, {3: []})),
        S("separate-log-pvs-two-pvs", "mirror_logs_require_separate_pvs=1 on two PVs fails.",
          [30, 30], new(*MIRROR, "-m1", "-l", "10"), config=SEPARATE_LOG_PVS),
        S("separate-log-pvs-three-pvs", "mirror_logs_require_separate_pvs=1 on three PVs.",
          [30, 30, 30], new(*MIRROR, "-m1", "-l", "10"), config=SEPARATE_LOG_PVS),
        S("mirrored-log-three-pvs", "mirrored log with only three PVs.", [30, 30, 30],
          new(*MIRROR, "-m1", "-l", "10", "--mirrorlog", "mirrored"), config=MIRRORED_LOG_OK),
        S("corelog-option", "--corelog is --mirrorlog core.", [30, 30],
          new(*MIRROR, "-m1", "-l", "10", "--corelog")),
        # PV lists, ranges, tags
        S("pvlist-three", "mirror -m1 restricted to three named PVs.", [30] * 5,
          new(*MIRROR, "-m1", "-l", "10", pvs=["{pv1}", "{pv3}", "{pv4}"])),
        S("pvlist-order", "PV list order vs VG order for legs and log.", [30] * 4,
          new(*MIRROR, "-m1", "-l", "10", pvs=["{pv3}", "{pv0}", "{pv2}"])),
        S("pvlist-ranges", "Legs and log from PV ranges.", [40] * 3,
          new(*MIRROR, "-m1", "-l", "10", pvs=["{pv0}:5-14", "{pv1}:20-29", "{pv2}:0-0"])),
        S("pvlist-ranges-split-leg", "A leg split over two ranges of one PV.", [40] * 3,
          new(*MIRROR, "-m1", "-l", "10", pvs=["{pv0}:0-4", "{pv0}:10-14", "{pv1}:0-9",
                                              "{pv2}:30-39"])),
        S("pvlist-ranges-too-small", "PV ranges too small for the legs fail.", [40] * 3,
          new(*MIRROR, "-m1", "-l", "10", pvs=["{pv0}:0-4", "{pv1}:0-9", "{pv2}"])),
        S("pvlist-tag", "mirror -m1 on @A PVs.", [30] * 4,
          new(*MIRROR, "-m1", "-l", "10", pvs=["@A"]), setup=_tag("A", 0, 2, 3)),
        S("pvlist-two-pvs-only", "PV list of two PVs: log must share a leg PV.", [30] * 4,
          new(*MIRROR, "-m1", "-l", "10", pvs=["{pv2}", "{pv1}"])),
        # sizes
        S("percent-free-disk", "mirror -m1 -l 100%FREE with a disk log.", [30, 30, 30],
          new(*MIRROR, "-m1", "-l", "100%FREE")),
        S("percent-free-core", "mirror -m1 -l 100%FREE with a core log.", [30, 30, 30],
          new(*MIRROR, "-m1", "-l", "100%FREE", "--mirrorlog", "core")),
        S("percent-free-half", "mirror -m1 -l 50%FREE.", [30, 30, 30],
          new(*MIRROR, "-m1", "-l", "50%FREE")),
        S("percent-vg", "mirror -m2 -l 20%VG.", [30, 30, 30, 30],
          new(*MIRROR, "-m2", "-l", "20%VG")),
        S("percent-pvs", "mirror -m1 -l 100%PVS over a PV list.", [30, 20, 30, 30],
          new(*MIRROR, "-m1", "-l", "100%PVS", pvs=["{pv0}", "{pv1}", "{pv2}"])),
        S("size-L", "mirror -m1 -L 7m.", [30, 30, 30], new(*MIRROR, "-m1", "-L", "7m")),
        S("exact-fit-two-pvs", "mirror -m1 -l 29 on two 30-extent PVs (log takes the rest).",
          [30, 30], new(*MIRROR, "-m1", "-l", "29")),
        # policies on a fragmented VG
    ]
    for pol in POLICIES:
        out.append(S("frag-alloc-%s" % pol, "mirror -m1 -l 12 --alloc %s on a fragmented VG." % pol,
                     FRAG4_PVS, new(*MIRROR, "-m1", "-l", "12", "--alloc", pol),
                     setup=layout(FRAG4_PVS, FRAG4_FREE)))
    out += [
        S("anywhere-one-pv", "mirror -m1 --alloc anywhere on a single PV.", [40],
          new(*MIRROR, "-m1", "-l", "10", "--alloc", "anywhere", "--mirrorlog", "core")),
        S("frag-large", "mirror -m1 larger than any hole.", FRAG4_PVS,
          new(*MIRROR, "-m1", "-l", "30"), setup=layout(FRAG4_PVS, FRAG4_FREE)),
        S("frag-m2", "mirror -m2 on a fragmented VG.", FRAG4_PVS,
          new(*MIRROR, "-m2", "-l", "9"), setup=layout(FRAG4_PVS, FRAG4_FREE)),
        S("frag-holes-by-removal", "Holes made by lvremove; legs take the largest.", [30, 30, 30],
          new(*MIRROR, "-m1", "-l", "8"),
          setup=[("punch", {0: [(5, 14)], 1: [(0, 7), (20, 29)], 2: [(10, 12)]}),
                 ("fill", {0: [(0, 4), (15, 29)], 1: [(8, 19)], 2: [(0, 9), (13, 29)]})]),
        # extension
        S("extend-m1-contiguous", "lvextend a disk-log mirror with free space after the legs.",
          [30, 30, 30], ext("-l", "+5"), setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-m1-blocked", "lvextend a mirror whose legs are followed by other LVs.",
          [30, 30, 30], ext("-l", "+5"),
          setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}"),
                 lvcreate("-l", "10", "-n", "blk", "{vg}", "{pv0}:10-19", "{pv1}:10-14")]),
        S("extend-m1-spill", "lvextend a mirror beyond its PVs.", [20, 20, 20, 20],
          ext("-l", "+15"), setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-m1-core", "lvextend a core-log mirror.", [30, 30],
          ext("-l", "+8"),
          setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "--mirrorlog", "core", "-n", "lv1", "{vg}")]),
        S("extend-m2", "lvextend a three-leg mirror.", [30] * 4, ext("-l", "+6"),
          setup=[lvcreate(*MIRROR, "-m2", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-pvlist", "lvextend a mirror onto named PVs.", [30] * 5,
          ext("-l", "+5", pvs=["{pv3}", "{pv4}"]),
          setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-cling", "lvextend --alloc cling of a mirror.", [20, 20, 20, 20],
          ext("-l", "+5", "--alloc", "cling"),
          setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-contiguous-blocked", "lvextend --alloc contiguous of a blocked mirror fails.",
          [30, 30, 30], ext("-l", "+5", "--alloc", "contiguous"),
          setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}"),
                 lvcreate("-l", "2", "-n", "blk", "{vg}", "{pv0}:10-10", "{pv1}:10-10")]),
        S("extend-percent-free", "lvextend -l +100%FREE of a mirror.", [30, 30, 30],
          ext("-l", "+100%FREE"), setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-mirrored-log", "lvextend a mirror with a mirrored log.", [30] * 4,
          ext("-l", "+5"), config=MIRRORED_LOG_OK,
          setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "--mirrorlog", "mirrored", "-n", "lv1", "{vg}",
                          # no braces: setup argv goes through str.format
                          "--config", "global/support_mirrored_mirror_log=1")]),
        S("extend-too-much", "lvextend a mirror by more than the VG holds fails.", [20, 20, 20],
          ext("-l", "+15"), setup=[lvcreate(*MIRROR, "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-i2-legs", "lvextend a mirror with striped legs.", [25] * 5, ext("-l", "+6"),
          setup=[lvcreate(*MIRROR, "-m1", "-i2", "-l", "10", "-n", "lv1", "{vg}")]),
        # failures
        S("fail-mirrored-log-unsupported", "--mirrorlog mirrored without the setting is refused.",
          [30] * 4, new(*MIRROR, "-m1", "-l", "10", "--mirrorlog", "mirrored")),
        S("fail-insufficient-space", "mirror -m1 larger than the PVs.", [20, 20, 20],
          new(*MIRROR, "-m1", "-l", "25")),
        S("fail-not-enough-pvs", "mirror -m3 needs four PVs for its legs.", [30, 30, 30],
          new(*MIRROR, "-m3", "-l", "5")),
        S("fail-one-pv", "mirror -m1 on a single PV without anywhere.", [40],
          new(*MIRROR, "-m1", "-l", "10")),
        S("full-vg-leaves-log-room", "mirror -m1 -l 10 on two 10-extent PVs: the full-VG "
          "reduction (spec 2.4) shortens the legs so the disk log fits.", [10, 10],
          new(*MIRROR, "-m1", "-l", "10")),
        S("fail-no-room-for-log", "Legs fill both listed PVs; the VG is not full (no reduction) "
          "and the log may not leave the PV list.", [10, 10, 5],
          new(*MIRROR, "-m1", "-l", "10", pvs=["{pv0}", "{pv1}"])),
        S("fail-contiguous", "--alloc contiguous mirror larger than any hole.", FRAG4_PVS,
          new(*MIRROR, "-m1", "-l", "21", "--alloc", "contiguous"), setup=layout(FRAG4_PVS, FRAG4_FREE)),
    ]
    out += [
        # spec 2.5: the log grows with the region count only for tiny extents
        S("log-4k-extents", "Disk log with 4 KiB extents and 4 KiB regions (log > 1 extent).",
          [30000, 30000, 300], new(*MIRROR, "-m1", "-l", "28000", "-R", "4k"), extent="4k"),
        S("log-4k-extents-default-region", "Disk log with 4 KiB extents, default region size.",
          [3000, 3000, 300], new(*MIRROR, "-m1", "-l", "2000"), extent="4k"),
        S("log-4m-extents", "Disk log with 4 MiB extents.", [30, 30, 30],
          new(*MIRROR, "-m1", "-l", "10"), extent="4m"),
        S("mirrored-log-4k", "Mirrored log with 4 KiB extents and regions.",
          [30000, 30000, 300, 300], new(*MIRROR, "-m1", "-l", "28000", "-R", "4k",
                                        "--mirrorlog", "mirrored"), extent="4k",
          config=MIRRORED_LOG_OK),
        # cling_tag_list decides where extension goes
        S("extend-cling-tags", "lvextend --alloc cling of a mirror with cling_tag_list.",
          [20] * 6, ext("-l", "+12", "--alloc", "cling"),
          config='allocation { cling_tag_list = [ "@*" ] }',
          setup=_tag("A", 0, 2, 4) + _tag("B", 1, 3, 5) +
          [lvcreate(*MIRROR, "-m1", "-l", "10", "--mirrorlog", "core", "-n", "lv1", "{vg}",
                    "{pv0}", "{pv1}")]),
    ]
    for m in (1, 2, 3):
        for log in ("core", "disk"):
            log_args, _ = _mirror_log_args(log)
            lv = lvcreate(*MIRROR, "-m", str(m), "-l", "8", *log_args, "-n", "lv1", "{vg}")
            out.append(S("extend-m%d-%s-blocked" % (m, log), "lvextend a -m%d %s-log mirror "
                         "followed by another LV." % (m, log), [20] * (m + 3), ext("-l", "+6"),
                         setup=[lv, lvcreate("-l", str(2 * (m + 1)), "-n", "blk", "{vg}",
                                             *["{pv%d}" % i for i in range(m + 1)])]))
    rng = random.Random(9101)
    for j in range(24):
        out.append(_random_mirror(rng, j))
    return out


# --------------------------------------------------------------------------
def raid():
    out = []
    for m in (1, 2, 3, 4):
        out.append(S("raid1-m%d" % m, "raid1 -m%d on six equal empty PVs." % m, [30] * 6,
                     new("--type", "raid1", "-m", str(m), "-l", "10")))
    for i in (2, 3, 4):
        out.append(S("raid0-i%d" % i, "raid0 -i%d (no rmeta)." % i, [30] * 5,
                     new("--type", "raid0", "-i", str(i), "-l", str(4 * i))))
    for i in (2, 3):
        out.append(S("raid0_meta-i%d" % i, "raid0_meta -i%d." % i, [30] * 5,
                     new("--type", "raid0_meta", "-i", str(i), "-l", str(4 * i))))
    for kind, stripes in (("raid4", (2, 3)), ("raid5", (2, 3, 4)), ("raid6", (3, 4, 5))):
        for i in stripes:
            out.append(S("%s-i%d" % (kind, i), "%s -i%d on seven equal PVs." % (kind, i), [30] * 7,
                         new("--type", kind, "-i", str(i), "-l", str(3 * i))))
    for layout_name in ("raid5_ls", "raid5_rs", "raid5_la", "raid5_ra", "raid5_n"):
        out.append(S(layout_name, "--type %s -i2." % layout_name, [30] * 4,
                     new("--type", layout_name, "-i", "2", "-l", "10")))
    for layout_name in ("raid6_zr", "raid6_nr", "raid6_nc", "raid6_n_6", "raid6_ls_6", "raid6_rs_6",
                        "raid6_la_6", "raid6_ra_6"):
        out.append(S(layout_name, "--type %s -i3." % layout_name, [30] * 6,
                     new("--type", layout_name, "-i", "3", "-l", "9")))
    for i in range(2, 9):
        out.append(S("raid10-i%d" % i, "raid10 -i%d -m1 on %d equal PVs." % (i, 2 * i + 1),
                     [20] * (2 * i + 1), new("--type", "raid10", "-i", str(i), "-m", "1",
                                             "-l", str(2 * i))))
    out += [
        S("raid10-default-stripes", "raid10 -m1 without -i.", [20] * 5,
          new("--type", "raid10", "-m", "1", "-l", "8")),
        S("m1-default-segtype", "-m1 without --type: the default mirror segtype (raid1).",
          [30] * 4, new("-m1", "-l", "10")),
        S("raid1-default-m", "--type raid1 without -m: two images.", [30] * 3,
          new("--type", "raid1", "-l", "10")),
        S("raid1-spec-e12", "Spec §12: raid1 -m1 -l 50 on empty PVs.", [60, 60, 60],
          new("--type", "raid1", "-m1", "-l", "50")),
        S("raid1-spec-100free", "Spec §12: raid1 -m1 -l 100%FREE on 6 PVs x 38.", [38] * 6,
          new("--type", "raid1", "-m1", "-l", "100%FREE")),
        S("raid1-unequal-100free", "Spec §9.3: raid1 100%FREE with pv0 22 free, pv1 57 free.",
          [22, 57], new("--type", "raid1", "-m1", "-l", "100%FREE")),
        S("raid1-unequal-fits", "raid1 that fits on both unequal PVs keeps PV order.", [22, 57],
          new("--type", "raid1", "-m1", "-l", "15")),
        S("raid5-100free-unequal", "raid5 -i2 100%FREE on unequal PVs.", [20, 35, 28, 40],
          new("--type", "raid5", "-i", "2", "-l", "100%FREE")),
        S("raid10-100free", "raid10 -i2 -m1 -l 100%FREE.", [20, 25, 30, 35],
          new("--type", "raid10", "-i", "2", "-m", "1", "-l", "100%FREE")),
        S("raid1-percent-vg", "raid1 -m2 -l 30%VG.", [30] * 4,
          new("--type", "raid1", "-m", "2", "-l", "30%VG")),
        S("raid5-size-L", "raid5 -i3 -L 10m rounds to stripes.", [30] * 4,
          new("--type", "raid5", "-i", "3", "-L", "10m")),
        S("raid1-spans-pvs", "raid1 images longer than one PV.", [20] * 6,
          new("--type", "raid1", "-m1", "-l", "35")),
        # PV lists, ranges, tags
        S("raid1-pvlist", "raid1 -m1 on named PVs.", [30] * 4,
          new("--type", "raid1", "-m1", "-l", "10", pvs=["{pv3}", "{pv1}"])),
        S("raid1-pvlist-ranges", "raid1 -m1 from PV ranges.", [40] * 3,
          new("--type", "raid1", "-m1", "-l", "10", pvs=["{pv0}:10-20", "{pv2}:5-15"])),
        S("raid1-pvlist-ranges-split", "raid1 image split over ranges.", [40] * 3,
          new("--type", "raid1", "-m1", "-l", "10",
              pvs=["{pv0}:0-5", "{pv0}:20-25", "{pv1}:0-10", "{pv2}:30-39"])),
        S("raid5-pvlist-tags", "raid5 -i2 on @fast PVs.", [30] * 5,
          new("--type", "raid5", "-i", "2", "-l", "8", pvs=["@fast"]), setup=_tag("fast", 1, 2, 4)),
        S("raid10-pvlist", "raid10 -i2 on five named PVs.", [30] * 6,
          new("--type", "raid10", "-i", "2", "-m", "1", "-l", "8",
              pvs=["{pv5}", "{pv4}", "{pv0}", "{pv1}", "{pv2}"])),
        S("raid1-pvlist-too-few", "raid1 -m2 on two named PVs fails.", [30] * 4,
          new("--type", "raid1", "-m2", "-l", "10", pvs=["{pv0}", "{pv1}"])),
    ]
    for pol in POLICIES:
        out.append(S("raid1-frag-alloc-%s" % pol, "raid1 -m1 -l 14 --alloc %s, fragmented VG." % pol,
                     FRAG4_PVS, new("--type", "raid1", "-m1", "-l", "14", "--alloc", pol),
                     setup=layout(FRAG4_PVS, FRAG4_FREE)))
        out.append(S("raid5-frag-alloc-%s" % pol, "raid5 -i2 -l 12 --alloc %s, fragmented VG." % pol,
                     FRAG4_PVS, new("--type", "raid5", "-i", "2", "-l", "12", "--alloc", pol),
                     setup=layout(FRAG4_PVS, FRAG4_FREE)))
    out += [
        S("raid1-anywhere-one-pv", "raid1 -m1 --alloc anywhere on a single PV.", [40],
          new("--type", "raid1", "-m1", "-l", "10", "--alloc", "anywhere")),
        S("raid10-frag", "raid10 -i2 on a fragmented VG.", FRAG4_PVS,
          new("--type", "raid10", "-i", "2", "-m", "1", "-l", "16"), setup=layout(FRAG4_PVS, FRAG4_FREE)),
        S("raid6-frag", "raid6 -i3 on a fragmented 5-PV VG.", [30] * 5,
          new("--type", "raid6", "-i", "3", "-l", "15"),
          setup=layout([30] * 5, {0: [(0, 9), (20, 29)], 1: [(3, 20)], 2: [(0, 29)],
                                  3: [(10, 14), (16, 28)], 4: [(0, 4), (6, 29)]})),
        S("raid0-frag", "raid0 -i3 on a fragmented VG.", FRAG4_PVS,
          new("--type", "raid0", "-i", "3", "-l", "18"), setup=layout(FRAG4_PVS, FRAG4_FREE)),
        # extension
        S("extend-raid1", "lvextend raid1 with free space after the images.", [30, 30, 30],
          ext("-l", "+5"), setup=[lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-raid1-spill", "lvextend raid1 beyond its PVs.", [20, 20, 20, 20],
          ext("-l", "+15"), setup=[lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-raid1-blocked", "lvextend raid1 whose images are followed by other LVs.",
          [30, 30, 30], ext("-l", "+6"),
          setup=[lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}"),
                 lvcreate("-l", "4", "-n", "blk", "{vg}", "{pv0}:11-12", "{pv1}:11-12")]),
        S("extend-raid5", "lvextend raid5 -i2.", [30] * 4, ext("-l", "+6"),
          setup=[lvcreate("--type", "raid5", "-i", "2", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-raid6", "lvextend raid6 -i3.", [30] * 6, ext("-l", "+9"),
          setup=[lvcreate("--type", "raid6", "-i", "3", "-l", "9", "-n", "lv1", "{vg}")]),
        S("extend-raid10", "lvextend raid10 -i2.", [30] * 5, ext("-l", "+8"),
          setup=[lvcreate("--type", "raid10", "-i", "2", "-m", "1", "-l", "8", "-n", "lv1", "{vg}")]),
        S("extend-raid0", "lvextend raid0 -i2.", [30] * 3, ext("-l", "+6"),
          setup=[lvcreate("--type", "raid0", "-i", "2", "-l", "8", "-n", "lv1", "{vg}")]),
        S("extend-raid1-pvlist", "lvextend raid1 onto named PVs.", [30] * 5,
          ext("-l", "+5", pvs=["{pv4}", "{pv3}"]),
          setup=[lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-raid1-cling", "lvextend --alloc cling of raid1.", [20, 20, 20, 20],
          ext("-l", "+5", "--alloc", "cling"),
          setup=[lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-raid1-100free", "lvextend -l +100%FREE of raid1.", [30, 30, 30],
          ext("-l", "+100%FREE"), setup=[lvcreate("--type", "raid1", "-m1", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-raid1-m2", "lvextend a three-image raid1.", [25] * 4, ext("-l", "+7"),
          setup=[lvcreate("--type", "raid1", "-m2", "-l", "10", "-n", "lv1", "{vg}")]),
        S("extend-raid5-too-much", "lvextend raid5 by more than the VG holds fails.", [20] * 3,
          ext("-l", "+40"), setup=[lvcreate("--type", "raid5", "-i", "2", "-l", "10", "-n", "lv1", "{vg}")]),
        # failures
        S("fail-raid10-m2", "raid10 -m 2 is refused.", [30] * 6,
          new("--type", "raid10", "-i", "2", "-m", "2", "-l", "10")),
        S("fail-raid6-i2", "raid6 needs at least 3 stripes.", [30] * 6,
          new("--type", "raid6", "-i", "2", "-l", "10")),
        S("fail-raid5-not-enough-pvs", "raid5 -i3 on three PVs fails.", [30] * 3,
          new("--type", "raid5", "-i", "3", "-l", "9")),
        S("fail-raid1-m2-two-pvs", "raid1 -m2 on two PVs fails.", [30, 30],
          new("--type", "raid1", "-m2", "-l", "5")),
        S("fail-raid1-insufficient", "raid1 -m1 larger than the PVs.", [20, 20, 20],
          new("--type", "raid1", "-m1", "-l", "25")),
        S("fail-raid1-one-pv", "raid1 -m1 on a single PV without anywhere.", [40],
          new("--type", "raid1", "-m1", "-l", "10")),
        S("fail-raid5-contiguous", "raid5 --alloc contiguous larger than any hole.", FRAG4_PVS,
          new("--type", "raid5", "-i", "2", "-l", "40", "--alloc", "contiguous"),
          setup=layout(FRAG4_PVS, FRAG4_FREE)),
    ]
    out += _extend_each_type()
    out += _raid_metadata_sizes()
    out += _raid_tags()
    rng = random.Random(9202)
    for j in range(24):
        out.append(_random_raid(rng, j))
    return out


CATEGORIES = {
    "mirror": mirror,
    "raid": raid,
}


def main():
    import catalog
    import record
    catalog.CATEGORIES.update(CATEGORIES)
    return record.main()


if __name__ == "__main__":
    sys.exit(main())
