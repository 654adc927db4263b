#!/usr/bin/env bash
# Proves that real LVM2 accepts what WriteMetadata writes: for each metadata
# file, make loop devices with the file's PV ids and sizes, vgcfgrestore the
# rewritten text (also once with an added LV that has a generated id), then
# vgcfgbackup and compare LVM2's text with ours, comments and header aside.
#   usage: lvm2_restore_check.sh METADATA_REWRITE_BINARY FILE...
# Exits 77 (skipped) unless run as root with lvm2 installed.
if [ "$(id -u)" != 0 ] || ! command -v vgcfgrestore >/dev/null; then
  echo "SKIP: needs root and lvm2 (vgcfgrestore) to run real LVM2 on loop devices"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
rewrite=$(realpath "$1")
shift
# shellcheck source=lvm2_env.sh
. "$here/lvm2_env.sh"

# The VG section without comments, blank lines, seqno (vgcfgrestore bumps it)
# and device hints (the loop devices differ from the recording's).
body() { sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' -e '/^\t*seqno = /d' \
             -e '/^\t*device = /d' "$1" |
         awk 'started || /^[^\t].* \{$/ {started=1; print}'; }

check_one() {  # check_one FILE NAME [--add-linear ...]
  local file=$1 name=$2
  shift 2
  local rc=0
  "$rewrite" "$file" "$@" >"$LVM_WORK/ours.vg" || rc=$?
  if [ $rc = 3 ]; then
    echo "skip $name: no free space for it"
    return 0
  elif [ $rc != 0 ]; then
    echo "FAIL $name: could not rewrite the file"
    return 1
  fi
  local vg
  vg=$(awk '/^[^\t#].* \{$/ {print $1; exit}' "$LVM_WORK/ours.vg")
  # PV ids and sizes from the file, in PV order.
  mapfile -t pvs < <(awk '/^\t\tpv[0-9]+ \{$/ {p=1} p && /^\t\t\tid = / {gsub(/"/,"",$3); id=$3}
                          p && /^\t\t\tdev_size = / {print id, $3; p=0}' "$LVM_WORK/ours.vg")
  local start=${#LOOPS[@]} i=0
  make_loops_sized "${pvs[@]}"
  for entry in "${pvs[@]}"; do
    lvm_cmd pvcreate -q -ff -y --norestorefile --uuid "${entry% *}" "${LOOPS[$((start + i))]}" >/dev/null
    i=$((i + 1))
  done
  LVM_VGS_TO_REMOVE="$vg"
  if ! lvm_cmd vgcfgrestore -q -f "$LVM_WORK/ours.vg" "$vg" >/dev/null; then
    echo "FAIL $name: vgcfgrestore rejected the written metadata"
    release_loops "$start"
    return 1
  fi
  lvm_cmd vgcfgbackup -f "$LVM_WORK/lvm.vg" "$vg" >/dev/null
  lvm_cmd vgremove -q -f "$vg" >/dev/null 2>&1
  LVM_VGS_TO_REMOVE=""
  release_loops "$start"
  if ! diff <(body "$LVM_WORK/ours.vg") <(body "$LVM_WORK/lvm.vg") >"$LVM_WORK/diff"; then
    echo "FAIL $name: LVM2's vgcfgbackup differs from what we wrote:"
    head -40 "$LVM_WORK/diff"
    return 1
  fi
  echo "ok   $name"
}

# release_loops FIRST: wipes and detaches LOOPS[FIRST..], so the next file's
# PV ids do not meet stale labels.
release_loops() {
  local i
  for ((i = $1; i < ${#LOOPS[@]}; i++)); do
    pvremove --driverloaded n -ff -y "${LOOPS[$i]}" >/dev/null 2>&1 || true
    losetup -d "${LOOPS[$i]}" 2>/dev/null || true
  done
  LOOPS=("${LOOPS[@]:0:$1}")
}

# make_loops_sized "ID SECTORS"...: one loop device per PV, sized for it.
make_loops_sized() {
  local entry n=${#LOOPS[@]} filter=""
  for entry in "$@"; do
    truncate -s $(( ${entry#* } * 512 )) "$LVM_WORK/pv$n.img"
    LOOPS+=("$(losetup -f --show "$LVM_WORK/pv$n.img")")
    n=$((n + 1))
  done
  for l in "${LOOPS[@]}"; do filter+="\"a|^$l\$|\", "; done
  cat >"$LVM_SYSTEM_DIR/lvm.conf" <<CONF
devices { global_filter = [ $filter"r|.*|" ] obtain_device_list_from_udev = 0 use_devicesfile = 0 }
activation { udev_sync = 0 udev_rules = 0 }
backup { backup = 0 archive = 0 }
CONF
}

failed=0
for f in "$@"; do
  check_one "$f" "$(basename "$f")" || failed=1
  # A new LV in free space: generated id and creation fields.
  check_one "$f" "$(basename "$f") + new LV" --add-linear added_lv 2 || failed=1
done
exit $failed
