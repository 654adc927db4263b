#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (corpus/<target>/seeds/).

    fuzz/make_seeds.py [--golden tests/golden] [--out corpus]

allocate, differential, capi, sequence: FuzzedDataProvider inputs whose first
draws (read from the END of the input) pick a VG shape: 1, 3, 8, 32, 64, 256,
1,024 and 4,096 sources (up to each target's maximum), fragmented or not, tagged, with unallocatable and full PVs,
equal-size runs; then a request-generator seed and the operation kinds. The
rest of each input is deterministic pseudo-random bytes, so the remaining
draws (overrides, sequence commands) vary between seeds. The draw order
mirrors fuzz/fuzzed_allocation.cc: keep them in step.

metadata: each golden vector's "before" text, NUL, its command line, NUL, its
--config text; plus hand-written edge cases.

corpus/<target>/seeds/ is rewritten from scratch; corpus/<target>/regressions/
(crash inputs, kept by hand) is left alone.
"""
import argparse
import glob
import json
import os
import random

U8, U32, U64, SIZE_T = 1, 4, 8, 8


class FdpEncoder:
    """Builds inputs for FuzzedDataProvider's integral draws."""

    def __init__(self):
        self.consumed = []  # bytes in the order FDP consumes them (from the end)

    def integral(self, lo, hi, value, width):
        assert lo <= value <= hi, (lo, value, hi)
        rng = hi - lo
        nbytes = 0
        while nbytes < width and (rng >> (8 * nbytes)) > 0:
            nbytes += 1
        v = value - lo
        # FDP reads the most significant byte first: result = result << 8 | byte.
        for k in reversed(range(nbytes)):
            self.consumed.append((v >> (8 * k)) & 0xFF)

    def u8(self, value):
        self.integral(0, 255, value, U8)

    def boolean(self, value):
        self.u8(1 if value else 0)

    def build(self, padding):
        return bytes(padding) + bytes(reversed(self.consumed))


PE_COUNTS = [1, 2, 5, 10, 30, 100, 1000, 15000, 1 << 20]


def encode_vg(enc, sources, shape, max_sources, generated_only):
    if sources <= 8:
        size_class = 0
    elif sources <= 32:
        size_class = 230
    elif sources <= 256:
        size_class = 250
    else:
        size_class = 255
    cap = 8 if size_class < 224 else 32 if size_class < 248 else 256 if size_class < 254 else 4096
    cap = max(1, min(cap, max_sources))
    enc.u8(size_class)
    enc.integral(1, cap, min(sources, cap), U32)
    if not generated_only:
        enc.integral(0, 7, 1, U8)  # 1..7: generated VG
    n = min(sources, cap)
    areas_cap = 64 if n <= 8 else 16 if n <= 32 else 8 if n <= 256 else 2
    enc.integral(0, (1 << 64) - 1, shape["seed"], U64)
    enc.integral(0, len(PE_COUNTS) - 1, PE_COUNTS.index(shape["pe_min"]), SIZE_T)
    enc.integral(0, len(PE_COUNTS) - 1, PE_COUNTS.index(shape["pe_max"]), SIZE_T)
    enc.integral(0, 8, min(shape["areas_min"], 8), U32)
    enc.integral(0, areas_cap, min(shape["areas_max"], areas_cap), U32)
    enc.integral(0, 1000, shape["fill"], U32)
    enc.integral(0, 2, shape["sizes"], U8)
    enc.integral(0, 1000, shape["equal_run"], U32)
    enc.integral(0, 500, shape["full"], U32)
    enc.integral(0, 8, shape["tag_vocabulary"], U32)
    enc.integral(0, 1000, shape["tagged"], U32)
    enc.integral(0, 300, shape["unallocatable"], U32)
    enc.boolean(shape["scramble"])


def encode_request(enc, seed, kinds, max_size):
    enc.integral(0, (1 << 64) - 1, seed, U64)
    enc.u8(kinds)
    enc.integral(1, 1500, max_size, U32)
    enc.integral(0, 100, 10, U32)  # indivisible_per_mille
    enc.integral(0, 15, 1, U8)     # not deliberately invalid
    enc.integral(0, 3, 1, U8)      # no overrides


SHAPES = {
    "whole": dict(pe_min=100, pe_max=1000, areas_min=1, areas_max=1, fill=0, sizes=0,
                  equal_run=0, full=0, tag_vocabulary=0, tagged=0, unallocatable=0,
                  scramble=False),
    "fragmented": dict(pe_min=1000, pe_max=15000, areas_min=4, areas_max=64, fill=400, sizes=1,
                       equal_run=0, full=50, tag_vocabulary=0, tagged=0, unallocatable=0,
                       scramble=True),
    "ties": dict(pe_min=100, pe_max=100, areas_min=2, areas_max=8, fill=300, sizes=2,
                 equal_run=800, full=0, tag_vocabulary=0, tagged=0, unallocatable=0,
                 scramble=False),
    "tagged": dict(pe_min=30, pe_max=1000, areas_min=1, areas_max=4, fill=200, sizes=0,
                   equal_run=200, full=100, tag_vocabulary=4, tagged=700, unallocatable=150,
                   scramble=True),
    "tiny": dict(pe_min=1, pe_max=10, areas_min=0, areas_max=3, fill=500, sizes=0,
                 equal_run=500, full=200, tag_vocabulary=2, tagged=500, unallocatable=300,
                 scramble=False),
}
# RequestShape kind bits: 1 raid, 2 mirror, 4 pools, 8 extend, 16 PE ranges.
KINDS = [0x1F, 0x00, 0x08, 0x01, 0x02, 0x04, 0x18, 0x09]


def encode_sequence_commands(enc, rng, count):
    """Commands for sequence_fuzzer.cc, without field overrides: seeds stay
    LVM2-like requests (the fuzzer adds the odd ones). Every draw here takes
    one byte, except an LV index while there is a single LV (range 0: no
    byte), which shifts the later draws: still a valid command stream."""
    for _ in range(count):
        command = rng.choice([0, 0, 1, 2, 3, 4, 5])
        enc.integral(0, 5, command, U8)
        if command <= 2:  # create (also what runs while there is no LV yet)
            enc.integral(0, 4, rng.choice([0, 1, 2, 3, 3, 4]), U8)  # policy
            kind = rng.randrange(8)
            enc.integral(0, 7, kind, U8)
            if kind <= 2:
                enc.integral(1, 4, rng.choice([1, 1, 2, 3]), U32)  # stripes
            elif kind in (3, 4):
                enc.integral(kind - 1, kind, kind - 1, U32)       # raid1 mirrors / raid5 stripes
            elif kind == 6:
                enc.integral(1, 4, rng.randint(1, 4), U64)        # thin-pool metadata
            enc.boolean(True)                                     # a small size
            enc.integral(1, 8, rng.randint(1, 8), U64)
            enc.integral(0, 7, rng.choice([1, 1, 1, 0]), U8)     # approx when 0
            enc.integral(0, 3, 1, U8)                             # no overrides
        elif command <= 4:  # extend an LV (the first one when it is not striped)
            enc.integral(0, 255, rng.randrange(4), SIZE_T)
            enc.integral(0, 3, rng.choice([1, 1, 1, 0]), U8)     # other stripe count when 0
            enc.integral(0, 4, rng.choice([0, 1, 3, 3]), U8)     # policy
            enc.integral(1, 16, rng.randint(1, 16), U64)
            enc.integral(0, 7, 1, U8)
            enc.boolean(rng.random() < 0.3)                       # cling_tag_list
            enc.integral(0, 3, rng.choice([0, 1, 1]), U8)        # maximise_cling unless 0
        else:  # remove
            enc.integral(0, 255, rng.randrange(4), SIZE_T)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def clear_seeds(directory):
    for old in glob.glob(os.path.join(directory, "*")):
        os.remove(old)


def allocation_seeds(out, target, max_sources, generated_only, with_request, padding_len,
                     commands=0):
    directory = os.path.join(out, target, "seeds")
    clear_seeds(directory)
    rng = random.Random("liballoc-" + target)
    count = 0
    for sources in [1, 3, 8, 32, 64, 256, 1024, 4096]:
        if sources > max_sources:
            continue
        for shape_name, shape in SHAPES.items():
            if sources > 32 and shape_name not in ("whole", "fragmented", "tagged"):
                continue
            for variant in range(2 if sources <= 32 else 1):
                enc = FdpEncoder()
                encode_vg(enc, sources, dict(shape, seed=rng.getrandbits(64)), max_sources,
                          generated_only)
                if with_request:
                    kinds = KINDS[(count + variant) % len(KINDS)]
                    encode_request(enc, rng.getrandbits(64), kinds, rng.choice([50, 500, 1000, 1200]))
                if target == "capi":
                    enc.integral(0, 3, 1, U8)  # no C-level breakage: seeds stay valid C
                if commands:
                    encode_sequence_commands(enc, rng, commands)
                padding = [rng.getrandbits(8) for _ in range(padding_len)]
                name = f"seed-{sources:04d}src-{shape_name}-{variant}"
                write(os.path.join(directory, name), enc.build(padding))
                count += 1
    # Inputs no generator makes: empty, one byte, all 0xff.
    for name, data in [("seed-empty", b""), ("seed-byte", b"\x01"), ("seed-ones", b"\xff" * 16)]:
        write(os.path.join(directory, name), data)
        count += 1
    return count


def metadata_seeds(out, golden):
    directory = os.path.join(out, "metadata", "seeds")
    clear_seeds(directory)
    count = 0
    for path in sorted(glob.glob(os.path.join(golden, "**", "*.json"), recursive=True)):
        with open(path) as f:
            vector = json.load(f)
        if "before" not in vector or "command" not in vector:
            continue
        data = (vector["before"].encode() + b"\0" + " ".join(vector["command"]).encode() +
                b"\0" + vector.get("config", "").encode())
        name = "seed-golden-" + vector.get("name", os.path.basename(path)).replace("/", "-")
        write(os.path.join(directory, name), data)
        count += 1
    edge = {
        "empty": b"",
        "empty-vg": b'vg0 {\n id = "x"\n seqno = 1\n extent_size = 8192\n}\n',
        "one-pv": (b'contents = "Text Format Volume Group"\nversion = 1\n'
                   b'vg0 {\nid = "a"\nseqno = 1\nformat = "lvm2"\nstatus = ["RESIZEABLE", "READ", "WRITE"]\n'
                   b'flags = []\nextent_size = 8192\nmax_lv = 0\nmax_pv = 0\nmetadata_copies = 0\n'
                   b'physical_volumes {\npv0 {\nid = "b"\ndevice = "/dev/sda"\nstatus = ["ALLOCATABLE"]\n'
                   b'flags = []\ndev_size = 2097152\npe_start = 2048\npe_count = 255\n}\n}\n}\n'),
        "comments-escapes": (b'# comment\nvg0 { # c\n id = "a\\"b"\n seqno = 1\n extent_size = 8192\n'
                             b' tags = ["t\\\\1", ""]\n physical_volumes { }\n}\n'),
        "deep-nesting": b"vg0 {" * 200 + b"}" * 200,
        "unterminated": b'vg0 {\n id = "abc\n',
    }
    for name, data in edge.items():
        write(os.path.join(directory, "seed-edge-" + name), data)
        count += 1
    return count


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--golden", default=os.path.join(root, "tests", "golden"))
    parser.add_argument("--out", default=os.path.join(root, "corpus"))
    args = parser.parse_args()
    counts = {
        "allocate": allocation_seeds(args.out, "allocate", 4096, False, True, 64),
        "differential": allocation_seeds(args.out, "differential", 1024, False, True, 64),
        "capi": allocation_seeds(args.out, "capi", 256, False, True, 64),
        "sequence": allocation_seeds(args.out, "sequence", 256, True, False, 0, commands=24),
        "metadata": metadata_seeds(args.out, args.golden),
    }
    for target, n in counts.items():
        print(f"{target}: {n} seeds")


if __name__ == "__main__":
    main()
