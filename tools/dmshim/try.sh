#!/bin/bash
# Proves libdmshim.so lets real LVM2 create and extend mirror and raid LVs
# on this dm-less kernel, and prints the resulting layouts.
#
#   sudo tools/dmshim/try.sh [path/to/libdmshim.so]
#
# Uses only loop devices it creates itself (a global_filter accepts nothing
# else), a private state dir, and a scratch loop device that receives every
# write LVM makes to an "activated" LV.  Detaches only its own loops, also
# on failure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
shim=${1:-}
if [[ -z $shim ]]; then
  for candidate in "$here"/../../build-*/tools/dmshim/libdmshim.so; do
    [[ -f $candidate ]] && shim=$candidate && break
  done
fi
[[ -f $shim ]] || { echo "try.sh: libdmshim.so not found; build it or pass its path" >&2; exit 2; }
shim=$(readlink -f "$shim")
[[ $(id -u) == 0 ]] || { echo "try.sh: must run as root (loop devices)" >&2; exit 2; }

work=$(mktemp -d /tmp/dmshim-try.XXXXXX)
loops=()
cleanup() {
  local rc=$?
  for loop in "${loops[@]}"; do losetup -d "$loop" 2>/dev/null || true; done
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

attached=""
attach() {  # attach <image> <MiB>: sets $attached (not a subshell, so loops[] is kept)
  truncate -s "$2M" "$1"
  attached=$(losetup --show -f "$1")
  loops+=("$attached")
}

npvs=6
pvs=()
for ((i = 0; i < npvs; i++)); do
  attach "$work/pv$i.img" 64
  pvs+=("$attached")
done
attach "$work/scratch.img" 64
scratch=$attached

accept=""
for pv in "${pvs[@]}"; do accept+="\"a|^$pv\$|\", "; done
config="devices { global_filter = [ $accept\"r|.*|\" ] obtain_device_list_from_udev = 0 use_devicesfile = 0 }
activation { udev_sync = 0 udev_rules = 0 verify_udev_operations = 0 monitoring = 0 }
global { use_lvmpolld = 0 }
backup { backup = 0 archive = 0 }"

export LVM_SUPPRESS_FD_WARNINGS=1
state=$work/state
mkdir -p "$state"

extra_config=""
lvm_plain() { lvm "$1" --config "$config $extra_config" "${@:2}"; }
lvm_shim() {
  LD_PRELOAD=$shim DMSHIM_STATE=$state DMSHIM_SCRATCH=$scratch lvm "$1" --config "$config $extra_config" "${@:2}"
}

step() {  # step <description> <lvm args...>: runs under the shim, reports outcome
  local what=$1
  shift
  echo "== $what: lvm $*"
  if lvm_shim "$@" 2>"$work/err"; then
    echo "   ok"
  else
    echo "   FAILED (exit $?):"
    sed 's/^/   | /' "$work/err"
  fi
}

new_vg() {  # new_vg <number of PVs> [PV size]: a fresh VG "vg" on the first PVs
  for pv in "${pvs[@]}"; do wipefs -qa "$pv"; done
  rm -rf "$state" && mkdir -p "$state"
  if [[ -n ${2:-} ]]; then
    lvm_plain pvcreate -q --setphysicalvolumesize "$2" -y "${pvs[@]:0:$1}" >/dev/null
  fi
  lvm_plain vgcreate -q -s 1m vg "${pvs[@]:0:$1}" >/dev/null
}

layout() {  # lvs-style segment map of every LV, sub-LVs included
  lvm_plain lvs -a --noheadings --separator ' ' -o lv_name,segtype,seg_le_ranges vg 2>/dev/null |
    sed "s|/dev/||g" || true
}

echo "PVs: ${pvs[*]}  scratch: $scratch  shim: $shim"

echo
echo "#### spec §12 example: raid1 -m1 -l 50 on empty PVs"
new_vg 4
step "raid1 -m1 -l50" lvcreate -y -Zn --type raid1 -m1 -l 50 -n r1 vg
layout

echo
echo "#### spec §12 example: raid1 -m1 -l 100%FREE on 6 PVs x 38 extents"
new_vg 6 39m
step "raid1 -m1 -l100%FREE" lvcreate -y -Zn --type raid1 -m1 -l 100%FREE -n r1 vg
layout

echo
echo "#### spec §9.4 example: mirrored log, legs on pv0/pv1 of 4 empty PVs"
new_vg 4
extra_config="global { support_mirrored_mirror_log = 1 }"
step "mirror --mirrorlog mirrored" lvcreate -y -Zn --type mirror -m1 --mirrorlog mirrored -l 10 -n mm vg
extra_config=""
layout

echo
echo "#### raid6 -i 3 on 5 empty PVs"
new_vg 5
step "raid6 -i3" lvcreate -y -Zn --type raid6 -i 3 -l 12 -n r6 vg
layout

echo
echo "#### all types in one VG of 4 PVs, in sequence"
new_vg 4
step "raid1 -m1" lvcreate -y -Zn --type raid1 -m1 -l 10 -n r1 vg
step "raid5 -i2" lvcreate -y -Zn --type raid5 -i 2 -l 10 -n r5 vg
step "raid6 -i3 (needs 5 PVs: 4 must be refused)" lvcreate -y -Zn --type raid6 -i 3 -l 10 -n r6 vg
step "raid10 -i2 -m1" lvcreate -y -Zn --type raid10 -i 2 -m 1 -l 10 -n r10 vg
step "mirror -m1 (disk log)" lvcreate -y -Zn --type mirror -m1 -l 10 -n m1 vg
step "mirror -m1 --mirrorlog core" lvcreate -y -Zn --type mirror -m1 --mirrorlog core -l 10 -n mcore vg
step "mirror --mirrorlog mirrored (refused without the setting)" \
  lvcreate -y -Zn --type mirror -m1 --mirrorlog mirrored -l 10 -n mmir vg
extra_config="global { support_mirrored_mirror_log = 1 }"
step "mirror --mirrorlog mirrored" lvcreate -y -Zn --type mirror -m1 --mirrorlog mirrored -l 10 -n mmir vg
extra_config=""
step "lvextend raid1 +5" lvextend -y -l +5 vg/r1
step "lvextend mirror +5" lvextend -y -l +5 vg/m1
layout

echo
echo "#### vgcfgbackup"
lvm_plain vgcfgbackup -q -f "$work/vg.backup" vg >/dev/null
sed -n '/^vg {/,$p' "$work/vg.backup"

echo
echo "#### emulated dm devices left active"
LD_PRELOAD=$shim DMSHIM_STATE=$state dmsetup ls 2>/dev/null | sort
