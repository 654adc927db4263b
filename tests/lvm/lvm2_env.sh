# Sourced by the scripts here that run real LVM2 on loop devices (as root).
# Gives: make_loops N SIZE (sets LOOPS array), lvm_cmd ARGS..., and a cleanup
# trap that detaches the loop devices this shell created, also on failure.
# LVM2 sees only those devices (an exact global_filter), keeps no backups or
# archives, and never talks to device-mapper (--driverloaded n).

set -euo pipefail

LVM_WORK=$(mktemp -d /tmp/liballoc-lvm.XXXXXX)
LOOPS=()
export LVM_SYSTEM_DIR=$LVM_WORK/etc
export LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p "$LVM_SYSTEM_DIR"

lvm_cleanup() {
  local vg
  for vg in ${LVM_VGS_TO_REMOVE:-}; do
    vgremove --driverloaded n -f "$vg" >/dev/null 2>&1 || true
  done
  local l
  for l in "${LOOPS[@]}"; do
    pvremove --driverloaded n -ff -y "$l" >/dev/null 2>&1 || true
    losetup -d "$l" 2>/dev/null || true
  done
  rm -rf "$LVM_WORK"
}
trap lvm_cleanup EXIT

# make_loops N SIZE: N loop devices backed by sparse files of SIZE (truncate -s).
make_loops() {
  local n=$1 size=$2 i filter=""
  for ((i = 0; i < n; i++)); do
    truncate -s "$size" "$LVM_WORK/pv$i.img"
    LOOPS+=("$(losetup -f --show "$LVM_WORK/pv$i.img")")
  done
  for l in "${LOOPS[@]}"; do filter+="\"a|^$l\$|\", "; done
  cat >"$LVM_SYSTEM_DIR/lvm.conf" <<EOF
devices { global_filter = [ $filter"r|.*|" ] obtain_device_list_from_udev = 0 use_devicesfile = 0 }
activation { udev_sync = 0 udev_rules = 0 }
backup { backup = 0 archive = 0 }
EOF
}

# Runs an LVM2 command without device-mapper, dropping its activation warnings.
lvm_cmd() {
  local cmd=$1
  shift
  "$cmd" --driverloaded n "$@" 2> >(grep -v -e "WARNING: Activation disabled" \
    -e "not zeroed" -e "NOT backed up" -e "/dev/mapper/control: open failed" \
    -e "communicate with kernel device-mapper" -e "device-mapper is available" \
    -e "Incompatible libdevmapper" -e "Failed to check for active volumes" >&2)
}
