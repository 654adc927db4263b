#!/bin/sh
# lvalloc's answers to bad input: its own errors exit 2 with a message naming
# the problem; what LVM2 itself rejects gets LVM2's text and exit status.
#   lvalloc_input_test.sh LVALLOC EXAMPLE_BACKUP
set -u
lvalloc=$1
backup=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect STATUS SUBSTRING lvalloc-args...
expect() {
  want_status=$1
  want_text=$2
  shift 2
  "$lvalloc" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  if [ "$status" -ne "$want_status" ] || ! grep -qF -- "$want_text" "$tmp/err"; then
    echo "FAIL: lvalloc $*"
    echo "  exit $status (want $want_status), stderr:"
    sed 's/^/    /' "$tmp/err"
    echo "  wanted stderr to contain: $want_text"
    failures=$((failures + 1))
  fi
}

head -c 700 "$backup" >"$tmp/truncated.vg"
printf 'vg0 {\n\textent_size = 2048\n\tphysical_volumes {\n\t\tpv0 { pe_count = "x" }\n\t}\n}\n' >"$tmp/mistyped.vg"

# Unreadable, truncated, malformed metadata.
expect 2 "cannot read $tmp/none.vg" --metadata "$tmp/none.vg" -- lvcreate -l 1 vg0
expect 2 "truncated.vg: metadata line" --metadata "$tmp/truncated.vg" -- lvcreate -l 1 vg0
expect 2 "mistyped.vg:" --metadata "$tmp/mistyped.vg" -- lvcreate -l 1 vg0
# lvalloc's own usage and unsupported options or commands.
expect 2 "--metadata FILE is required" -- lvcreate -l 1 vg0
expect 2 "unsupported option --thinpool" --metadata "$backup" -- lvcreate --thinpool tp -l 1 vg0
expect 2 "unsupported option -s" --metadata "$backup" -- lvcreate -s -l 1 vg0/lv1
expect 2 "unsupported command \"lvremove\"" --metadata "$backup" -- lvremove vg0/lv1
expect 2 "does not plan segment type \"thin-pool\"" --metadata "$backup" -- lvcreate --type thin-pool -l 1 vg0
expect 2 "shrinking is not supported" --metadata "$backup" -- lvresize -l 5 vg0/lv1
expect 2 "lvalloc: --config line 2, column 1: expected '}'" --metadata "$backup" --config 'allocation {' -- lvcreate -l 1 vg0
# Sizes: zero is LVM2's own rejection; beyond 2^32 extents is lvalloc's.
expect 3 "--extents may not be zero." --metadata "$backup" -- lvcreate -l 0 vg0
expect 3 "--size may not be zero." --metadata "$backup" -- lvcreate -L 0 vg0
expect 2 "more extents than LVM2 can address" --metadata "$backup" -- lvcreate -l 4294967296 vg0
expect 5 "Volume too large (5.00 PiB)" --metadata "$backup" -- lvcreate -L 5P vg0
expect 3 "Invalid argument for --extents: 1x" --metadata "$backup" -- lvcreate -l 1x vg0
# Unknown names and bad PE ranges: LVM2 rejects these itself (exit 5).
expect 5 "Physical Volume \"/dev/nope\" not found in Volume Group \"vg0\"." \
  --metadata "$backup" -- lvcreate -l 1 vg0 /dev/nope
expect 5 "Logical volume zz not found in volume group vg0." \
  --metadata "$backup" -- lvextend -l +1 vg0/zz
expect 5 "Volume group \"vg9\" not found" --metadata "$backup" -- lvcreate -l 1 vg9
expect 5 "Overlapping PE ranges specified (3-9, 0-4) on /dev/loop9." \
  --metadata "$backup" -- lvcreate -l 1 vg0 /dev/loop9:0-4 /dev/loop9:3-9
expect 5 "PE range error: start extent 5 to end extent 3." \
  --metadata "$backup" -- lvcreate -l 1 vg0 /dev/loop9:5-3
expect 5 "PE range error: start extent 10 to end extent 99." \
  --metadata "$backup" -- lvcreate -l 1 vg0 /dev/loop9:10-99

if [ "$failures" -ne 0 ]; then
  echo "$failures case(s) failed"
  exit 1
fi
echo "all input-error cases behave as expected"
