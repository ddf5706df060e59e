#!/usr/bin/env bash
# Builds the release binary for the GPU machine and prints the `run` call that checks the CUDA backend there.
# The GPU machine has no Swift toolchain and no network: the binary travels as a carried folder, `.gpu/`, with the
# Swift runtime linked in (--static-swift-stdlib) and the few system libraries it links dynamically (OpenBLAS,
# compression codecs, libpq, SQLite; not glibc) copied beside it. CUDA itself is not carried: the binary loads
# libcuda, NVRTC and cuBLASLt at run time from the machine's driver, CUDA toolkit and PyTorch wheels.
#   scripts/gpu.sh            build, collect .gpu/, print the command
#   scripts/gpu.sh --no-build collect and print only (after an earlier build)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--no-build" ]; then
  swift build -c release --static-swift-stdlib --product tributary
fi
binary=.build/release/tributary
[ -x "$binary" ] || { echo "gpu.sh: $binary is missing; run without --no-build" >&2; exit 1; }

# .gpu/ is ignored locally so that it travels only when carried.
exclude="$(git rev-parse --git-path info/exclude)"
mkdir -p "$(dirname "$exclude")"
grep -qx '/.gpu/' "$exclude" 2>/dev/null || echo '/.gpu/' >>"$exclude"

rm -rf .gpu && mkdir -p .gpu/lib
cp "$binary" .gpu/tributary
strip .gpu/tributary 2>/dev/null || true
# Shared libraries outside glibc and the dynamic loader (present on any Linux): copy them beside the binary.
ldd "$binary" | awk '/=> \// { print $3 }' | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*|libgcc_s.so.*|libstdc++.so.*|libutil.so.*) ;;
    *) cp -L "$lib" .gpu/lib/ ;;
  esac
done
# OpenBLAS loads its Fortran runtime and the like lazily through the libraries above; ldd already listed them.
size=$(du -sm .gpu | cut -f1)
echo "gpu.sh: .gpu/ holds $size MiB (binary + $(ls .gpu/lib | wc -l) libraries); the limit for carried paths is 64 MiB" >&2
if [ "$size" -gt 60 ]; then
  echo "gpu.sh: WARNING: .gpu/ is close to or above the 64 MiB carry limit" >&2
fi
cat <<'CMD'
Run on the device machine (the device tool's `run`, carry [".gpu"]):
  export LD_LIBRARY_PATH=$PWD/.gpu/lib; .gpu/tributary gpu info && .gpu/tributary gpu check --model small --batch 4 && .gpu/tributary gpu check --ops-only --precision f32
CMD
