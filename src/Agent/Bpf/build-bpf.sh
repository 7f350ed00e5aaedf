#!/usr/bin/env bash
# Compiles the agent's BPF programs: vmlinux.h from this machine's kernel BTF (CO-RE relocates the
# object at load time on other kernels), then clang -target bpf, then strip DWARF (BTF is kept).
#   build-bpf.sh OUTPUT_DIR     writes OUTPUT_DIR/vigil.bpf.o (event probes), vigil-protect.bpf.o (Active Protection)
#                               and vigil-dns.bpf.o (DNS queries with their sender)
# Needs clang, llvm-strip, bpftool and libbpf headers (Debian: clang llvm libbpf-dev bpftool).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build-bpf.sh OUTPUT_DIR}
mkdir -p "$out"
clang=$(command -v clang || command -v clang-14 || true)
strip=$(command -v llvm-strip || command -v llvm-strip-14 || true)
bpftool=$(command -v bpftool || ls /usr/sbin/bpftool 2>/dev/null || true)
if [ -z "$clang" ] || [ -z "$strip" ] || [ -z "$bpftool" ] || [ ! -e /usr/include/bpf/bpf_helpers.h ] || [ ! -e /sys/kernel/btf/vmlinux ]; then
  echo "build-bpf.sh: skipped (needs clang, llvm-strip, bpftool, libbpf-dev and /sys/kernel/btf/vmlinux); the agent will use its fallback probes" >&2
  exit 0
fi
if [ ! -s "$out/vmlinux.h" ]; then
  "$bpftool" btf dump file /sys/kernel/btf/vmlinux format c > "$out/vmlinux.h.tmp"
  mv "$out/vmlinux.h.tmp" "$out/vmlinux.h"
fi
compile() { # SOURCE OBJECT
  "$clang" -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$out" -I"$here" -I/usr/include/x86_64-linux-gnu \
    -c "$here/$1" -o "$out/$2.tmp"
  "$strip" -g "$out/$2.tmp"
  mv "$out/$2.tmp" "$out/$2"
}
compile vigil.bpf.c vigil.bpf.o
compile protect.bpf.c vigil-protect.bpf.o
compile dns.bpf.c vigil-dns.bpf.o
