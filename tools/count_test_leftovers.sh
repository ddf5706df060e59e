#!/bin/sh
# Runs the test suite with TMPDIR pointed at a fresh empty folder and lists what the run left behind there, apart
# from the toolchain's own files (SwiftPM's `*.lock` and empty `TemporaryDirectory.*` folders, which `swift test`
# leaves even when it runs no test, and the compiler's `swift-generated-sources` when it builds). Also names PostgreSQL clusters (/tmp/tributary-pg-*, kept out of TMPDIR for the socket path)
# that appeared during the run and are still there (another test run on the machine at the same time also makes
# them). Exits 1 when anything was left, 2 when the suite failed.
# Usage: tools/count_test_leftovers.sh [swift test arguments, default --parallel]
set -u
[ $# -eq 0 ] && set -- --parallel
root=$(mktemp -d /tmp/tributary-leftovers-XXXXXX)
chmod 755 "$root"
clusters_before=$(ls -d /tmp/tributary-pg-* 2>/dev/null | sort)
TMPDIR="$root" swift test "$@" > "$root.log" 2>&1
status=$?
clusters_after=$(ls -d /tmp/tributary-pg-* 2>/dev/null | sort)
all=$(ls -A "$root" | grep -c .)
left=$(ls -A "$root" | grep -v -E '^TemporaryDirectory\.[A-Za-z0-9]{6}$|\.lock$|^swift-generated-sources$')
new_clusters=$(printf '%s\n' "$clusters_after" | grep -v -x -F -e "$clusters_before" -e '' || true)
count=$(printf '%s' "$left" | grep -c .)
echo "swift test $*: exit status $status"
echo "entries left in TMPDIR: $all in all, $count made by tests"
[ -n "$left" ] && printf '  %s\n' $left
[ -n "$new_clusters" ] && echo "PostgreSQL clusters that appeared in /tmp and stayed (or belong to a test run" \
  "running beside this one):" && printf '  %s\n' $new_clusters
if [ "$status" -eq 0 ] && [ "$count" -eq 0 ] && [ -z "$new_clusters" ]; then
  rm -rf "$root" "$root.log"
else
  echo "kept for inspection: $root and $root.log"
fi
[ "$status" -ne 0 ] && exit 2
[ "$count" -ne 0 ] || [ -n "$new_clusters" ] && exit 1
exit 0
