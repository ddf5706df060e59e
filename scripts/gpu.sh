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
#   scripts/gpu.sh --on-device      (on the device machine, what the printed command runs) unpack .gpu/, then
#                                   gpu info, gpu check, the RT-size training benchmark (B=32, L=1024, cells/s, MFU)
#                                   and the PyTorch reference of the same model on the same GPU, each into $OUT
set -euo pipefail
cd "$(dirname "$0")/.."

# The device side: every step writes its own file under $OUT and a failing step does not stop the next ones.
on_device() {
  local out="${OUT:-/tmp/gpu-out}" t="${TRIBUTARY_UNPACK_DIR:-/tmp/t}"
  mkdir -p "$out" "$t"
  xz -dc .gpu/tributary.tar.xz | tar -C "$t" -xf -
  export LD_LIBRARY_PATH="$t/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  step() {  # step NAME SECONDS COMMAND...: output to $out/NAME.txt, status line to $out/summary.txt
    local name="$1" seconds="$2"
    shift 2
    echo "== $name: $*"
    local status=0
    timeout "$seconds" "$@" >"$out/$name.txt" 2>&1 || status=$?
    tail -n 15 "$out/$name.txt"
    echo "$name: exit $status" | tee -a "$out/summary.txt"
  }
  # Time limits sum to under the device tool's 10 minutes per command.
  step gpu_info 30 "$t/tributary" gpu info
  step gpu_check 150 "$t/tributary" gpu check --model small --batch 4
  step gpu_check_f32 60 "$t/tributary" gpu check --ops-only --precision f32
  step bench_tributary 120 "$t/tributary" gpu bench --device cuda --model rt --batch 32 --steps 10 --json
  # The step's workspace at B=32 is about 66 GiB (2.05 GiB per context, measured on the CPU): if it does not fit, B=16.
  grep -q '^{' "$out/bench_tributary.txt" ||
    step bench_tributary_b16 90 "$t/tributary" gpu bench --device cuda --model rt --batch 16 --steps 10 --json
  # The PyTorch reference (tools/rt_reference.py): the machine's PyTorch, a virtual environment under /opt first.
  local python
  python="$(ls /opt/*/.venv/bin/python /opt/*/bin/python 2>/dev/null | head -n 1 || true)"
  python="${python:-python3}"
  # PyTorch eager at its best: bf16 autocast and fused attention (the explicit softmax runs out of memory at B=32).
  step bench_pytorch_bf16 120 "$python" tools/rt_reference.py bench --config rt --batch 32 --device cuda \
    --amp bf16 --attention sdpa --optimizer --steps 10
  step bench_pytorch_f32 60 "$python" tools/rt_reference.py bench --config rt --batch 32 --device cuda \
    --amp none --attention sdpa --optimizer --steps 3
  grep -h '^{' "$out"/bench_*.txt >"$out/bench.jsonl" || true
  cat "$out/summary.txt" "$out/bench.jsonl"
}
if [ "${1:-}" = "--on-device" ]; then
  on_device
  exit 0
fi

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
Run on the device machine (the device tool's `run` with carry [".gpu"]); every number lands in $OUT:
  scripts/gpu.sh --on-device
CMD
