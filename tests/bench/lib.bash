# Shared by the benchmarks: a scratch folder removed at the end, and messages on stderr.
# BENCH_DIR chooses where the folder goes (default /var/tmp: benchmarks need real disk).

# bench_setup NAME: sets BENCH_TMP to a new folder BENCH_DIR/NAME-bench.XXXXXX, removed on exit.
bench_setup() {
  mkdir -p "${BENCH_DIR:-/var/tmp}"
  BENCH_TMP=$(mktemp -d "${BENCH_DIR:-/var/tmp}/$1-bench.XXXXXX")
  BENCH_NAME=$1
  trap 'rm -rf "$BENCH_TMP"' EXIT
}

say() { echo "$BENCH_NAME bench: $*" >&2; }

# bench_need NAME TOOL COMMAND...: exits 2 unless bin/TOOL is built and every COMMAND is installed.
bench_need() {
  local name=$1 tool=$2 t
  shift 2
  [ -x "$tool" ] || { echo "$name bench: build first (make)" >&2; exit 2; }
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "$name bench: $t missing (scripts/install-deps)" >&2; exit 2; }
  done
}

# bench_init TOOL [COMMAND...]: the preamble of every benchmark.  Sets root (the checkout, also
# MTKFW_ROOT for the fixture builders), tool (bin/TOOL, or scripts/TOOL for a script), sources
# tests/lib/TOOL.bash when there is one, checks that TOOL is built and each COMMAND installed,
# and sets dir to a fresh scratch folder (bench_setup).
# shellcheck disable=SC2034  # root, tool, dir and MTKFW_ROOT are for the benchmark and its fixtures
bench_init() {
  local name=$1
  shift
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  MTKFW_ROOT=$root
  tool=$root/bin/$name
  [ -e "$tool" ] || [ ! -e "$root/scripts/$name" ] || tool=$root/scripts/$name
  # shellcheck source=/dev/null
  if [ -f "$root/tests/lib/$name.bash" ]; then source "$root/tests/lib/$name.bash"; fi
  bench_need "$name" "$tool" "$@"
  bench_setup "$name"
  dir=$BENCH_TMP
}

# Cold page cache: tests/bench/evict FILE... before each cold run drops the input's cached pages
# (posix_fadvise DONTNEED per file; no privilege needed, as /proc/sys/vm/drop_caches is read-only
# in most containers, and the rest of a shared machine's cache stays), or with BENCH_DROP_CACHES=1
# the whole cache (drop_caches).  bench_cold_method says which one ran, bench_resident checks it.
bench_cold_method() {
  if [ "${BENCH_DROP_CACHES:-}" = 1 ]; then
    echo "drop_caches (sync; echo 3 > /proc/sys/vm/drop_caches before each run)"
  else
    echo "posix_fadvise(POSIX_FADV_DONTNEED) of the input before each run (tests/bench/evict)"
  fi
}
# bench_resident FILE: the percentage of FILE in the page cache (fincore), "?" without fincore.
bench_resident() {
  command -v fincore >/dev/null || { echo "?"; return; }
  fincore -b -n -o RES,SIZE "$1" | awk '{ printf "%.1f", $2 ? 100 * $1 / $2 : 0 }'
}
