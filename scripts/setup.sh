#!/usr/bin/env bash
# Installs what liballoc needs to build, test, fuzz and benchmark, from Debian's
# packages only. Safe to run again: it installs only what is missing.
set -euo pipefail
pkgs=(cmake g++ make pkg-config python3
      libabsl-dev libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev libdevmapper-dev
      clang libclang-rt-14-dev gnuplot-nox valgrind zip)
# Real LVM2 is only needed to record new conformance vectors (tools/record-golden).
if [ "${LIBALLOC_WITH_LVM2:-0}" = 1 ]; then pkgs+=(lvm2); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
