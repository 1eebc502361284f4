#!/usr/bin/env bash
# Installs the system libraries ScoreKit links against (OpenBLAS with LAPACK, zlib), only when
# they are missing. Safe to run repeatedly; needs root (or sudo) on a fresh Debian machine.
set -euo pipefail

need=()
pkg-config --exists openblas 2>/dev/null || need+=(libopenblas-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ "${#need[@]}" -eq 0 ]; then exit 0; fi

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: missing system packages: ${need[*]} (install them as root: apt-get install ${need[*]})" >&2
    exit 1
fi
echo "installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" pkg-config >/dev/null
