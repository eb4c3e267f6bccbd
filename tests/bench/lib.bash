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

# bench_file_name SCATTER NAME: the file_name the scatter gives partition NAME (NONE: not downloaded).
bench_file_name() { awk -v n="$2" '/^  partition_name:/ {p = $2} /^  file_name:/ && p == n {print $2}' "$1"; }
# bench_is_sparse FILE: true when FILE starts with the Android sparse magic (0xED26FF3A, LE).
bench_is_sparse() { [ "$(head -c 4 "$1" | od -An -tx4 | tr -d ' ')" = ed26ff3a ]; }

# bench_space DIR GIB WHAT: exits 2 unless DIR has GIB GiB free (WHAT says what needs it).
bench_space() {
  local free_kib
  mkdir -p "$1"
  free_kib=$(df -k --output=avail "$1" | tail -1)
  [ "$free_kib" -ge $(($2 << 20)) ] || { say "needs $2 GiB free in $1 for $3, has $((free_kib >> 20)) GiB"; exit 2; }
}

# --- Side by side, page cache warm and cold (super.sh, f2fs.sh).  The benchmark defines, for
# each command NAME: cmd NAME (its command line), key NAME (a piece of that line no other command
# has, to find it in hyperfine's JSON), input NAME (the file it reads: warmed or evicted before
# each run), out NAME (the sparse image it writes, or nothing); and bench_scratch, the paths
# removed before every run (e.g. the copy's output).

# bench_timed NAME COMMAND: COMMAND under /usr/bin/time, appending its peak RSS (KiB, of the
# largest process) to $dir/NAME.rss.
bench_timed() { echo "/usr/bin/time -f %M -a -o $dir/$1.rss $2"; }

# bench_matrix RUNS NAME...: hyperfine of every NAME, RUNS runs each, the page cache warm (the
# input read before each run) then cold (tests/bench/evict before each run); each run starts from
# its output removed and the disk synced.  Writes $dir/warm.json, $dir/cold.json, $dir/NAME.CACHE.rss.
bench_matrix() {
  local runs=$1 cache n o warm args
  shift
  for cache in warm cold; do
    args=()
    for n in "$@"; do
      o=$(out "$n")
      if [ "$cache" = warm ]; then warm="cat $(input "$n") > /dev/null"; else warm="$root/tests/bench/evict $(input "$n")"; fi
      args+=(--prepare "rm -rf ${o:-$dir/none} ${bench_scratch:-}; sync; $warm" "$(bench_timed "$n.$cache" "$(cmd "$n")")")
      : > "$dir/$n.$cache.rss"
    done
    say "page cache $cache: $*, $runs runs each"
    hyperfine --style basic --runs "$runs" --export-json "$dir/$cache.json" "${args[@]}" >&2
  done
}
# bench_side_by_side RUNS INPUT NAME...: bench_matrix, then the facts the report gives: INPUT
# evicted once more and how much of it stayed resident ($resident), the cold method
# ($cold_method), verify's summary lines when it is among NAME ($verify_out), the load average at
# the end ($load_after), and each output walked (bench_walk); the scratch paths are removed.
# shellcheck disable=SC2034  # the facts are for the caller's report
bench_side_by_side() {
  local runs=$1 input=$2
  shift 2
  cold_method=$(bench_cold_method)
  bench_matrix "$runs" "$@"
  "$root/tests/bench/evict" "$input"
  resident=$(bench_resident "$input")
  verify_out=""
  case " $* " in *" verify "*) verify_out=$(sh -c "$(cmd verify)" | tr '\n' ' ') ;; esac
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  bench_walk "$@"
  # shellcheck disable=SC2086  # bench_scratch is a list of paths
  rm -rf ${bench_scratch:-}
}
# bench_median CACHE NAME: "median_wall_s cpu_s" of NAME's runs with the page cache CACHE.
bench_median() {
  jq -r --arg c "$(key "$2")" '.results[] | select(.command | contains($c)) | "\(.median) \(.user + .system)"' "$dir/$1.json"
}
# bench_peak NAME...: the largest peak RSS (KiB) of the runs of NAME (NAME.CACHE, or NAME for both caches).
bench_peak() {
  local n
  for n in "$@"; do cat "$dir/$n".*rss; done | sort -n | tail -1
}
# bench_walk NAME...: for each NAME, a real consumer (simg2img) parses its image and
# tests/bench/sparse-walk counts its chunks into $dir/images ("NAME size written raw fill chunks").
bench_walk() {
  local n o written raw fill chunks
  for n in "$@"; do
    o=$(out "$n")
    if [ -n "$o" ]; then
      simg2img "$o" /dev/null
      read -r written raw fill _ _ chunks < <("$root/tests/bench/sparse-walk" "$o")
      echo "$n $(stat -c %s "$o") $written $raw $fill $chunks" >> "$dir/images"
    else
      echo "$n - - - - -" >> "$dir/images"
    fi
  done
}
# bench_table REF IDEAL NAME...: the table, warm then cold: medians, time against REF's, peak RSS,
# output bytes, bytes the flasher writes and their distance to IDEAL.
bench_table() {
  local ref=$1 ideal=$2 cache n r wall cpu size written
  shift 2
  printf '%-9s %-5s %9s %9s %9s %8s %14s %14s %9s\n' command cache "wall s" "CPU s" "vs ${ref:0:4}" "RSS MiB" \
    "output B" "flasher B" "vs ideal"
  for cache in warm cold; do
    read -r r _ < <(bench_median "$cache" "$ref")
    for n in "$@"; do
      read -r wall cpu < <(bench_median "$cache" "$n")
      read -r _ size written _ < <(grep "^$n " "$dir/images")
      awk -v n="$n" -v c="$cache" -v w="$wall" -v u="$cpu" -v r="$r" -v m="$(bench_peak "$n.$cache")" \
          -v s="$size" -v f="$written" -v i="$ideal" 'BEGIN {
        printf "%-9s %-5s %9.2f %9.2f %8.3fx %8.1f %14s %14s %9s\n", n, c, w, u, w / r, m / 1024, s, f,
          (f == "-" ? "-" : sprintf("%+.2f%%", 100 * (f - i) / i)) }'
    done
  done
  echo "sizes (bytes): output file / written by the flasher (RAW+FILL) / RAW / FILL / chunks"
  awk '$2 != "-" { printf "  %-9s %14s %14s %14s %14s %8s\n", $1, $2, $3, $4, $5, $6 }' "$dir/images"
  echo "  ideal     $ideal"
}
# bench_verdict_time CACHE TARGET: ours against the floor (copy) and against img2simg (target: at
# most TARGET times its time), one line each.
bench_verdict_time() {
  local ours ref copy
  read -r ours _ < <(bench_median "$1" ours)
  read -r ref _ < <(bench_median "$1" img2simg)
  read -r copy _ < <(bench_median "$1" copy)
  awk -v c="$1" -v a="$ours" -v b="$ref" -v k="$copy" -v t="$2" 'BEGIN {
    printf "%s: (ours takes %.2fx the time of writing its output once, cat: the floor; no target)\n", c, a / k
    printf "%s: time %.3fx img2simg (target <= %gx): %s\n", c, a / b, t, (a <= t * b ? "PASS" : "FAIL") }'
}
# bench_verdict_size IDEAL: ours's flasher bytes within 1% of IDEAL, and its peak RSS under 64 MiB.
bench_verdict_size() {
  local written
  read -r _ _ written _ < <(grep '^ours ' "$dir/images")
  awk -v f="$written" -v i="$1" -v m="$(bench_peak ours)" 'BEGIN { d = 100 * (f - i) / i
    printf "flasher bytes %+.2f%% of the ideal (target within 1%%): %s\n", d, (d <= 1 && d >= -1 ? "PASS" : "FAIL")
    printf "peak RSS %.1f MiB (target < 64 MiB): %s\n", m / 1024, (m < 65536 ? "PASS" : "FAIL") }'
}
