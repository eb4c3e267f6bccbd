#!/usr/bin/env bash
# readback2fw against the manual method (issue 8), side by side in one run, page cache warm:
#   a 16 GiB sample readback stored dense, as SP Flash Tool writes it (12 GiB mostly empty
#   userdata, 2 GiB system with ~300 MiB of files, 1.6 GiB cache):
#   1. readback2fw (with its verification)                       target: >= 20x faster than 2.
#   2. the manual method: dd every downloaded partition, img2simg the ext4 ones, md5sum all
#   3. cat of the used data once (the raw images and the sparse images' data, to /dev/null)
#                                                                target: 1. within 3x of 3.
#   4. the same cat into a file: writing the used data once, the least any tool that makes the
#      folder must do (printed to show how much of 1. is writing; no target).
#   1. and 3. again with the page cache dropped before each run, when the bench runs as root.
# Needs ~40 GiB free in BENCH_DIR (default: a folder under /var/tmp).
# Usage: tests/bench/readback2fw.sh   (BENCH_DIR=/some/dir, RUNS=N, MANUAL_RUNS=N)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-5}                 # readback2fw and cat: median of RUNS
MANUAL_RUNS=${MANUAL_RUNS:-2}   # the manual method takes a minute a run
source "$(dirname "$0")/lib.bash"
bench_setup readback2fw
B=$BENCH_TMP
export PATH="$ROOT/bin:$ROOT/scripts:$PATH"

say "building the sample in $B (sparse, then written out dense)"
mksample --system-size 2048 --system-data 300 --cache-size 1600 --userdata-size 12288 "$B/sparse" 2>/dev/null
cp --sparse=never "$B/sparse/User" "$B/User"
cp "$B/sparse/Boot1" "$B/Boot1"
rm -rf "$B/sparse"
say "User: $(stat -c %s "$B/User") bytes, $(du -k "$B/User" | cut -f1) KiB allocated"
readback2fw -q "$B/Boot1" "$B/User" "$B/ref"          # the downloaded rows, for the manual method

# The manual method of the seed blog, as a script: dd, img2simg, md5sum.
manual=$B/manual.sh
{
  echo 'set -e; rm -rf "$1"; mkdir "$1"; cd "$1"'
  tail -n +3 "$B/ref/partitions.tsv" | while IFS=$'\t' read -r idx name start size content rest; do
    file=$(awk -v n="$name" '/^  partition_name:/ {p = $2} /^  file_name:/ && p == n {print $2}' \
             "$B/ref/MT6752_Android_scatter.txt")
    [ -n "$file" ] && [ "$file" != NONE ] || continue
    echo "dd if='$B/User' of=$name.raw bs=4M iflag=skip_bytes,count_bytes skip=$start count=$size status=none"
    if [ "$content" = ext4 ]; then echo "img2simg $name.raw $file && rm $name.raw"; else echo "mv $name.raw $file"; fi
  done
  echo 'md5sum * > md5sums'
} > "$manual"
used_files=$(cd "$B/ref" && ls *.img *.bin | sed "s|^|$B/ref/|" | tr '\n' ' ')

cat "$B/User" > /dev/null   # warm the page cache
hyperfine --style basic --runs "$MANUAL_RUNS" --export-json "$B/manual.json" "bash $manual $B/manual" >&2
hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$B/times.json" \
  --prepare "rm -rf $B/fw" "readback2fw -q $B/Boot1 $B/User $B/fw" \
  --prepare "true" "cat $used_files > /dev/null" \
  --prepare "rm -f $B/copy" "cat $used_files > $B/copy" >&2

# Cold page cache, as a readback fresh from the phone is (needs root to drop caches).
cold=""
if sync && echo 3 2>/dev/null > /proc/sys/vm/drop_caches; then
  drop='sync; echo 3 > /proc/sys/vm/drop_caches'
  hyperfine --style basic --runs "$RUNS" --export-json "$B/cold.json" \
    --prepare "rm -rf $B/fw; $drop" "readback2fw -q $B/Boot1 $B/User $B/fw" \
    --prepare "$drop" "cat $used_files > /dev/null" >&2
  read -r cold_ours cold_cat < <(jq -r '[.results[].median] | @tsv' "$B/cold.json")
  cold=1
fi

rss=$( { /usr/bin/time -v readback2fw -q "$B/Boot1" "$B/User" "$B/rss" >/dev/null; } 2>&1 |
       awk -F': ' '/Maximum resident set size/ { print $2 }')
read -r ours cat_t copy_t < <(jq -r '[.results[].median] | @tsv' "$B/times.json")
manual_t=$(jq -r '.results[0].median' "$B/manual.json")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=" ? v >= t : v <= t); print (ok ? "ok" : "MISSED") }'; }
speedup=$(ratio "$manual_t" "$ours")
vs_cat=$(ratio "$ours" "$cat_t")
echo
echo "readback2fw bench: 16 GiB dense readback ($(stat -c %s "$B/User") bytes), page cache warm, medians of $RUNS runs ($MANUAL_RUNS for the manual method)"
printf '%-44s %10s  %s\n' "what" "seconds" "ratio / target"
printf '%-44s %10.2f\n' "readback2fw (with verification)" "$ours"
printf '%-44s %10.2f  %sx slower than readback2fw (target >= 20x: %s)\n' "manual: dd + img2simg + md5sum" "$manual_t" "$speedup" "$(verdict "$speedup" '>=' 20)"
printf '%-44s %10.2f  readback2fw is %sx of it (target <= 3x: %s)\n' "cat of the used data once" "$cat_t" "$vs_cat" "$(verdict "$vs_cat" '<=' 3)"
printf '%-44s %10.2f  readback2fw is %sx of it; it is %sx of 3.\n' "cat of the used data once into a file" "$copy_t" "$(ratio "$ours" "$copy_t")" "$(ratio "$copy_t" "$cat_t")"
if [ -n "$cold" ]; then
  cold_vs_cat=$(ratio "$cold_ours" "$cold_cat")
  printf '%-44s %10.2f\n' "readback2fw, page cache cold" "$cold_ours"
  printf '%-44s %10.2f  readback2fw is %sx of it (target <= 3x: %s)\n' "cat of the used data once, cold" "$cold_cat" "$cold_vs_cat" "$(verdict "$cold_vs_cat" '<=' 3)"
fi
printf '%-44s %10s  KiB peak RSS (largest process)\n' "readback2fw" "$rss"
echo "output: $(du -sk "$B/rss" | cut -f1) KiB readback2fw vs $(du -sk "$B/manual" | cut -f1) KiB manual"
