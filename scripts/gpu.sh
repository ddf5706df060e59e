#!/usr/bin/env bash
# Builds the release binary for the GPU machine and prints the `run` call that checks the CUDA backend there.
# The GPU machine has no Swift toolchain and no network: the binary travels in a carried folder, `.gpu/`, as one
# xz archive holding the binary (Swift runtime linked in with --static-swift-stdlib) and the shared system libraries
# it links (OpenBLAS, codecs, libpq, SQLite, curl and their dependencies; not glibc), to stay under the 64 MiB carry
# limit. CUDA itself is not carried: the binary loads libcuda, NVRTC and cuBLASLt at run time from the machine's
# driver, CUDA toolkit and PyTorch wheels.
#   scripts/gpu.sh                  build, pack .gpu/, print the command
#   scripts/gpu.sh --no-build       pack and print only (after an earlier release build)
#   scripts/gpu.sh --binary PATH    pack another build of tributary (e.g. a debug one, to try the packing)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=.build/release/tributary
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --binary) binary="$2"; build=0; shift ;;
    *) echo "gpu.sh: unknown argument $1" >&2; exit 1 ;;
  esac
  shift
done
if [ "$build" = 1 ]; then
  swift build -c release --static-swift-stdlib --product tributary
fi
[ -x "$binary" ] || { echo "gpu.sh: $binary is missing; run without --no-build" >&2; exit 1; }

# .gpu/ is ignored locally so that it travels only when carried.
exclude="$(git rev-parse --git-path info/exclude)"
mkdir -p "$(dirname "$exclude")"
grep -qx '/.gpu/' "$exclude" 2>/dev/null || echo '/.gpu/' >>"$exclude"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib"
cp "$binary" "$stage/tributary"
strip "$stage/tributary" 2>/dev/null || true
# Shared libraries outside glibc, the loader and the C++ runtime (present on any Linux with PyTorch).
ldd "$binary" | awk '/=> \// { print $3 }' | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*|libgcc_s.so.*|libstdc++.so.*|libutil.so.*) ;;
    *) cp -L "$lib" "$stage/lib/" ;;
  esac
done
rm -rf .gpu && mkdir -p .gpu
tar -C "$stage" -cf - tributary lib | xz -T2 -6 >.gpu/tributary.tar.xz
echo "gpu.sh: .gpu/tributary.tar.xz is $(du -m .gpu/tributary.tar.xz | cut -f1) MiB ($(du -sm "$stage" | cut -f1) MiB" \
  "unpacked, $(ls "$stage/lib" | wc -l) libraries); the carry limit is 64 MiB" >&2
cat <<'CMD'
Run on the device machine (the device tool's `run` with carry [".gpu"]):
  mkdir -p /tmp/t && xz -dc .gpu/tributary.tar.xz | tar -C /tmp/t -xf - && export LD_LIBRARY_PATH=/tmp/t/lib && /tmp/t/tributary gpu info && /tmp/t/tributary gpu check --model small --batch 4; /tmp/t/tributary gpu check --ops-only --precision f32
CMD
