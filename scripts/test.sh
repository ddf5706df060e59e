#!/usr/bin/env bash
# Runs every test: installs system dependencies, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift test --parallel "$@"
