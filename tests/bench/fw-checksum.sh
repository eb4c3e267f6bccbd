#!/usr/bin/env bash
# Benchmark of issue 7: fw-checksum against md5sum over the same files (page cache warm).
#   1. 4 files of 512 MiB: `fw-checksum --md5` (byte sum + MD5, files in parallel)
#      target <= 0.65x `md5sum` over the 4 files.
#   2. one 2 GiB file: `fw-checksum --md5 --xxh128-list` (byte sum + MD5 + XXH128 in one read)
#      target <= 1.1x `md5sum` of the file.
# BENCH_DIR: scratch folder (default a mktemp -d under /var/tmp, removed at the end).
# BENCH_RUNS: rounds per case, each running both commands once (default 3); best round counted.
set -euo pipefail
source "$(dirname "$0")/lib.bash"
bench_init fw-checksum hyperfine jq md5sum /usr/bin/time
runs=${BENCH_RUNS:-3}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "fw-checksum bench: writing 4 x 512 MiB and 1 x 2 GiB of random data in $dir" >&2
for i in 1 2 3 4; do head -c 512M /dev/urandom >"$dir/part$i.img"; done
head -c 2G /dev/urandom >"$dir/big.img"
fwck_scatter "$dir/four_scatter.txt" p1:part1.img:true p2:part2.img:true p3:part3.img:true p4:part4.img:true
fwck_scatter "$dir/one_scatter.txt" big:big.img:true

# Each round runs both commands once, back to back (hyperfine --runs 1), so that a load that
# comes and goes (the machine is shared) hits both sides alike; the table takes the fastest round
# of each side.  Prints "OURS REFERENCE" seconds.
bench() {  # NAME CMD_OURS CMD_REFERENCE
  local r
  hyperfine --runs 1 --style basic "$2" "$3" >/dev/null 2>&1   # warm-up: page cache
  for r in $(seq "$runs"); do
    hyperfine --runs 1 --style basic --export-json "$dir/$1.$r.json" "$2" "$3" >&2
  done
  jq -s -r '[.[].results[0].mean] as $a | [.[].results[1].mean] as $b | "\($a | min) \($b | min)"' "$dir/$1".*.json
}
# CPU seconds (user + system), least over the rounds: "OURS REFERENCE".
cpu() {  # NAME
  jq -s -r '[.[].results[0] | .user + .system] as $a | [.[].results[1] | .user + .system] as $b |
            "\($a | min) \($b | min)"' "$dir/$1".*.json
}
read -r four_ours four_ref < <(bench four \
  "$tool --md5 -o $dir/four.ini $dir/four_scatter.txt" \
  "md5sum $dir/part1.img $dir/part2.img $dir/part3.img $dir/part4.img")
read -r one_ours one_ref < <(bench one \
  "$tool --md5 --xxh128-list $dir/big.xxh128 -o $dir/one.ini $dir/one_scatter.txt" \
  "md5sum $dir/big.img")
rss=$( { /usr/bin/time -v "$tool" --md5 --xxh128-list "$dir/big.xxh128" -o "$dir/one.ini" "$dir/one_scatter.txt"; } 2>&1 |
       awk -F': ' '/Maximum resident/ {print $2}')

row() {  # CASE OURS REF TARGET
  awk -v c="$1" -v a="$2" -v b="$3" -v t="$4" 'BEGIN {
    r = a / b; printf "%-48s %8.3f s %8.3f s %7.3fx %7s  %s\n", c, a, b, r, "<=" t "x", (r <= t ? "ok" : "MISSED") }'
}
printf "%-48s %10s %10s %8s %8s\n" "case ($(nproc) cores, best of $runs rounds)" "fw-checksum" "md5sum" "ratio" "target"
row "4 x 512 MiB, byte sum + MD5" "$four_ours" "$four_ref" 0.65
row "1 x 2 GiB, byte sum + MD5 + XXH128" "$one_ours" "$one_ref" 1.1
read -r a b < <(cpu four); printf "CPU time (user+sys), 4 x 512 MiB: %.3f s vs %.3f s\n" "$a" "$b"
read -r a b < <(cpu one);  printf "CPU time (user+sys), 1 x 2 GiB:   %.3f s vs %.3f s\n" "$a" "$b"
echo "peak RSS of fw-checksum on the 2 GiB case: $rss KiB"
# Ratios need idle cores: on a loaded machine both sides share them and the parallel gain shrinks.
echo "load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
