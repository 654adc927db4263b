#!/usr/bin/env bash
# Records the real-LVM2 metadata samples in tests/lvm/data/ (run as root with
# Debian's lvm2 2.03.16 installed). Without device-mapper LVM2 cannot create
# mirror or raid1/4/5/6/10 LVs, so those samples are made by adding such LVs to
# a real vgcfgbackup file by hand (from the format of LVM2's text_export
# functions) and letting LVM2 accept them: vgcfgrestore, then vgcfgbackup
# again; what is committed is LVM2's own output.
#   usage: tests/lvm/record_samples.sh [OUT_DIR]
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/data}
# shellcheck source=lvm2_env.sh
. "$here/lvm2_env.sh"
mkdir -p "$out"

backup() {  # backup VG FILE: vgcfgbackup without the volatile header lines' noise
  lvm_cmd vgcfgbackup -f "$2" "$1" >/dev/null
}

make_loops 6 101M
LVM_VGS_TO_REMOVE="vgsample"
L=("${LOOPS[@]}")

# 1. linear (extended into a second segment), striped, raid0.
lvm_cmd pvcreate -q "${L[@]:0:3}"
lvm_cmd vgcreate -q -s 1m vgsample "${L[@]:0:3}"
lvm_cmd lvcreate -q -an -Zn -l 10 -n lv1 vgsample
lvm_cmd lvcreate -q -an -Zn -i 2 -I 64k -l 20 -n striped vgsample
lvm_cmd lvcreate -q -an -Zn --type raid0 -i 3 -l 30 -n r0 vgsample
lvm_cmd lvextend -q -l +5 vgsample/lv1
backup vgsample "$out/linear_striped_raid0.vg"

# 2. tags, a non-allocatable PV, VG and LV allocation policies, a hole.
lvm_cmd lvcreate -q -an -Zn --addtag fast --alloc anywhere -l 3 -n tagged vgsample
lvm_cmd pvchange -q --addtag ssd --addtag "rack_1" "${L[1]}"
lvm_cmd pvchange -q -x n "${L[2]}"
lvm_cmd vgchange -q --alloc cling --addtag vgtag vgsample
lvm_cmd lvremove -q -f vgsample/striped
backup vgsample "$out/tags_policies_hole.vg"

# 3. fragmented: more PVs of other sizes, PE ranges, removals.
lvm_cmd pvcreate -q "${L[@]:3:3}"
lvm_cmd vgextend -q vgsample "${L[@]:3:3}"
lvm_cmd pvchange -q -x y "${L[2]}"
for i in 1 2 3 4 5 6; do
  lvm_cmd lvcreate -q -an -Zn -l $((i * 3)) -n frag$i vgsample "${L[$((i % 6))]}"
done
lvm_cmd lvcreate -q -an -Zn -i 3 -I 128k -l 12 -n wide vgsample "${L[3]}" "${L[4]}" "${L[5]}"
lvm_cmd lvremove -q -f vgsample/frag2 vgsample/frag5
lvm_cmd lvcreate -q -an -Zn --alloc normal -l 7 -n ranged vgsample "${L[4]}:90-92" "${L[5]}:95-98"
lvm_cmd lvextend -q -l +20 vgsample/frag3
lvm_cmd lvcreate -q -an -Zn --alloc contiguous -l 9 -n contig vgsample
backup vgsample "$out/fragmented.vg"

# 4. mirror and raid LVs, added by hand and accepted by LVM2.
python3 - "$out/fragmented.vg" "$LVM_WORK/handmade.vg" <<'EOF'
import random, re, sys
text = open(sys.argv[1]).read()
pe_count = {m.group(1): int(m.group(2)) for m in
            re.finditer(r'\n\t\t(pv\d+) \{.*?pe_count = (\d+)', text, re.S)}
used = {pv: set() for pv in pe_count}
for m in re.finditer(r'extent_count = (\d+).*?stripes = \[(.*?)\]', text, re.S):
    pairs = re.findall(r'"(pv\d+)", (\d+)', m.group(2))
    n = int(m.group(1)) // len(pairs)
    for pv, pe in pairs:
        used[pv].update(range(int(pe), int(pe) + n))
def take(pv, n):  # the first free run of n PEs on pv
    for s in range(pe_count[pv] - n + 1):
        if not used[pv] & set(range(s, s + n)):
            used[pv].update(range(s, s + n))
            return s
    raise SystemExit("no space on " + pv)
rng = random.Random(7)
ids = set()
def lvid():
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    s = "".join(rng.choice(chars) for _ in range(32))
    return "-".join([s[:6], s[6:10], s[10:14], s[14:18], s[18:22], s[22:26], s[26:]])
def lv(name, visible, segs):
    status = '"READ", "WRITE"' + (', "VISIBLE"' if visible else '')
    out = f'\n\t\t{name} {{\n\t\t\tid = "{lvid()}"\n\t\t\tstatus = [{status}]\n\t\t\tflags = []\n'
    out += f'\t\t\tsegment_count = {len(segs)}\n'
    for i, body in enumerate(segs, 1):
        out += f'\n\t\t\tsegment{i} {{\n' + "".join(f'\t\t\t\t{l}\n' for l in body) + '\t\t\t}\n'
    return out + '\t\t}\n'
def linear(name, pv, n):
    return lv(name, False, [[f'start_extent = 0', f'extent_count = {n}', 'type = "striped"',
                             'stripe_count = 1', f'stripes = ["{pv}", {take(pv, n)}]']])
new = ""
pvs = sorted(pe_count, key=lambda p: int(p[2:]))
# mirror with a log
new += lv("m1", True, [['start_extent = 0', 'extent_count = 4', 'type = "mirror"',
    'mirror_count = 2', 'mirror_log = "m1_mlog"', 'region_size = 1024',
    'mirrors = ["m1_mimage_0", 0, "m1_mimage_1", 0]']])
def raid(name, type_, images, extents, image_len, meta=True, extra=()):
    global new
    names = []
    for i in range(images):
        if meta:
            names.append(f'"{name}_rmeta_{i}"')
        names.append(f'"{name}_rimage_{i}"')
    key = "raids" if meta else "raid0_lvs"
    count = "device_count" if type_ not in ("raid0", "raid0_meta") else "stripe_count"
    new += lv(name, True, [['start_extent = 0', f'extent_count = {extents}', f'type = "{type_}"',
        f'{count} = {images}', *extra, f'{key} = [{", ".join(names)}]']])
    for i in range(images):
        pv = pvs[i % len(pvs)]
        if meta:
            new += linear(f"{name}_rmeta_{i}", pv, 1)
        new += linear(f"{name}_rimage_{i}", pv, image_len)
raid("r1", "raid1", 2, 6, 6, extra=['region_size = 4096'])
raid("r5", "raid5_ls", 3, 8, 4, extra=['region_size = 4096', 'stripe_size = 128'])
raid("r6", "raid6_zr", 5, 9, 3, extra=['region_size = 4096', 'stripe_size = 128'])
raid("r10", "raid10", 4, 8, 4, extra=['region_size = 4096', 'stripe_size = 128'])
raid("r0m", "raid0_meta", 2, 8, 4, extra=['stripe_size = 128'])
new += linear("m1_mimage_0", pvs[0], 4) + linear("m1_mimage_1", pvs[1], 4)
new += linear("m1_mlog", pvs[2], 1)
i = text.rindex("\t}\n\n}")
text = text[:i] + new + text[i:]
open(sys.argv[2], "w").write(text)
EOF
lvm_cmd vgcfgrestore -q -f "$LVM_WORK/handmade.vg" vgsample
backup vgsample "$out/mirror_raid.vg"
echo "recorded: $(ls "$out")"
