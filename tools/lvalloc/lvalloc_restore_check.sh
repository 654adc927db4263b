#!/usr/bin/env bash
# Real LVM2 accepts what `lvalloc --write` writes: plans linear, striped,
# raid1, raid5, mirror (disk and mirrored log) and extension commands on the
# example backup, then hands the written files to tests/lvm's
# lvm2_restore_check.sh (vgcfgrestore on loop devices, vgcfgbackup, compare).
#   lvalloc_restore_check.sh LVALLOC METADATA_REWRITE RESTORE_CHECK_SCRIPT BACKUP
# Exits 77 (skipped) unless run as root with lvm2 installed.
set -euo pipefail
lvalloc=$1 rewrite=$2 check=$3 backup=$4
if [ "$(id -u)" != 0 ] || ! command -v vgcfgrestore >/dev/null; then
  echo "SKIP: needs root and lvm2 (vgcfgrestore)"
  exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
plan() {  # plan NAME [--config TEXT] -- COMMAND...
  local name=$1
  shift
  "$lvalloc" --metadata "$backup" --write "$out/$name.vg" "$@" >/dev/null
}
plan linear -- lvcreate -l 7 -n lin vg0
plan striped -- lvcreate -i 3 -l 6 -n str vg0
plan extend -- lvextend -l +4 vg0/lv1
plan raid1 -- lvcreate --type raid1 -m 1 -l 5 -n r1 vg0
plan raid5 -- lvcreate --type raid5 -i 2 -l 4 -n r5 vg0
plan mirror -- lvcreate --type mirror -m 1 -l 4 -n m vg0
plan mirrored_log --config 'global/support_mirrored_mirror_log = 1' -- \
  lvcreate --type mirror -m 1 --mirrorlog mirrored -l 2 -n mm vg0 2>/dev/null
exec "$check" "$rewrite" "$out"/*.vg
