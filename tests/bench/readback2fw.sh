#!/usr/bin/env bash
# readback2fw against the manual method (issue 8), side by side in one run, page cache warm:
#   a 16 GiB sample readback stored dense, as SP Flash Tool writes it (12 GiB mostly empty
#   userdata, 2 GiB system with ~300 MiB of files, 1.6 GiB cache):
#   1. readback2fw (with its verification)                       target: >= 20x faster than 2.
#   2. the manual method: dd every downloaded partition, img2simg the ext4 ones, md5sum all
#   3. reading the used data once: every byte a flasher writes, read from User to /dev/null
#      (the used blocks of each ext4 partition, the complement of dumpe2fs's free ranges, and
#      every downloaded raw partition; tests/bench/read-ranges, as cat cannot read ranges)
#                                                                target: 1. within 3x of 3.
#   4. cat of the produced image files to /dev/null (FILL chunks make them smaller than 3.),
#      and the same cat into a file: what writing the data once costs (shown, no target).
#   1., 3. and 4. again with the page cache dropped before each run, when the bench runs as root.
# Needs ~40 GiB free in BENCH_DIR (default: a folder under /var/tmp).
# Usage: tests/bench/readback2fw.sh   (BENCH_DIR=/some/dir, RUNS=N, MANUAL_RUNS=N)
set -euo pipefail

RUNS=${RUNS:-5}                 # readback2fw and cat: median of RUNS
MANUAL_RUNS=${MANUAL_RUNS:-2}   # the manual method takes a minute a run
source "$(dirname "$0")/lib.bash"
bench_init readback2fw
export PATH="$root/bin:$root/scripts:$PATH"

say "building the sample in $dir (sparse, then written out dense)"
mksample --system-size 2048 --system-data 300 --cache-size 1600 --userdata-size 12288 "$dir/sparse" 2>/dev/null
cp --sparse=never "$dir/sparse/User" "$dir/User"
cp "$dir/sparse/Boot1" "$dir/Boot1"
rm -rf "$dir/sparse"
say "User: $(stat -c %s "$dir/User") bytes, $(du -k "$dir/User" | cut -f1) KiB allocated"
readback2fw -q "$dir/Boot1" "$dir/User" "$dir/ref"          # the downloaded rows, for the manual method

# The manual method of the seed blog, as a script: dd, img2simg, md5sum; and the used data as
# byte ranges of User (e2fsprogs says which blocks are free).
manual=$dir/manual.sh ranges=$dir/used.ranges
: > "$ranges"
{
  echo 'set -e; rm -rf "$1"; mkdir "$1"; cd "$1"'
  tail -n +3 "$dir/ref/partitions.tsv" | while IFS=$'\t' read -r idx name start size content rest; do
    file=$(bench_file_name "$dir/ref/MT6752_Android_scatter.txt" "$name")
    [ -n "$file" ] && [ "$file" != NONE ] || continue
    echo "dd if='$dir/User' of=$name.raw bs=4M iflag=skip_bytes,count_bytes skip=$start count=$size status=none"
    if [ "$content" = ext4 ]; then echo "img2simg $name.raw $file && rm $name.raw"; else echo "mv $name.raw $file"; fi
    if [ "$content" = ext4 ]; then
      dd if="$dir/User" of="$dir/probe.img" bs=4M iflag=skip_bytes,count_bytes skip="$start" count="$size" status=none
      read -r bs blocks < <(dumpe2fs -h "$dir/probe.img" 2>/dev/null |
                            awk -F: '/^Block size/ { bs = $2 + 0 } /^Block count/ { n = $2 + 0 } END { print bs, n }')
      dumpe2fs "$dir/probe.img" 2>/dev/null | sed -n 's/^  Free blocks: //p' | tr ',' '\n' | awk -v bs="$bs" \
        -v n="$blocks" -v base="$start" 'NF { split($1, r, "-"); a = r[1] + 0; b = (2 in r ? r[2] : r[1]) + 0;
          if (a > next_used) printf "%.0f %.0f\n", base + next_used * bs, (a - next_used) * bs; next_used = b + 1 }
        END { if (n > next_used) printf "%.0f %.0f\n", base + next_used * bs, (n - next_used) * bs }' >> "$ranges"
      rm -f "$dir/probe.img"
    else
      echo "$start $size" >> "$ranges"
    fi
  done
  echo 'md5sum * > md5sums'
} > "$manual"
used_files=$(cd "$dir/ref" && ls *.img *.bin | sed "s|^|$dir/ref/|" | tr '\n' ' ')
read_used="$root/tests/bench/read-ranges $dir/User $ranges"
say "used data: $(awk '{ n += $2 } END { printf "%.0f", n }' "$ranges") bytes in $(wc -l < "$ranges") ranges; image files: $(cat $used_files | wc -c) bytes"

cat "$dir/User" > /dev/null   # warm the page cache
hyperfine --style basic --runs "$MANUAL_RUNS" --export-json "$dir/manual.json" "bash $manual $dir/manual" >&2
hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$dir/times.json" \
  --prepare "rm -rf $dir/fw" "readback2fw -q $dir/Boot1 $dir/User $dir/fw" \
  --prepare "true" "$read_used" \
  --prepare "true" "cat $used_files > /dev/null" \
  --prepare "rm -f $dir/copy" "cat $used_files > $dir/copy" \
  --prepare "true" "/usr/bin/python3 -IS -c pass" >&2

# Cold page cache, as a readback fresh from the phone is (needs root to drop caches).
cold=""
if sync && echo 3 2>/dev/null > /proc/sys/vm/drop_caches; then
  drop='sync; echo 3 > /proc/sys/vm/drop_caches'
  hyperfine --style basic --runs "$RUNS" --export-json "$dir/cold.json" \
    --prepare "rm -rf $dir/fw; $drop" "readback2fw -q $dir/Boot1 $dir/User $dir/fw" \
    --prepare "$drop" "$read_used" \
    --prepare "$drop" "cat $used_files > /dev/null" >&2
  read -r cold_ours cold_used cold_cat < <(jq -r '[.results[].median] | @tsv' "$dir/cold.json")
  cold=1
fi

rss=$( { /usr/bin/time -v readback2fw -q "$dir/Boot1" "$dir/User" "$dir/rss" >/dev/null; } 2>&1 |
       awk -F': ' '/Maximum resident set size/ { print $2 }')
read -r ours used_t cat_t copy_t python_t < <(jq -r '[.results[].median] | @tsv' "$dir/times.json")
manual_t=$(jq -r '.results[0].median' "$dir/manual.json")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=" ? v >= t : v <= t); print (ok ? "ok" : "MISSED") }'; }
row() { printf '%-46s %8.3f  %s\n' "$@"; }
speedup=$(ratio "$manual_t" "$ours")
vs_used=$(ratio "$ours" "$used_t")
echo
echo "readback2fw bench: 16 GiB dense readback ($(stat -c %s "$dir/User") bytes), medians of $RUNS runs ($MANUAL_RUNS for the manual method)"
echo "used data: $(awk '{ n += $2 } END { printf "%.0f", n }' "$ranges") bytes of User; image files: $(cat $used_files | wc -c) bytes"
printf '%-46s %8s  %s\n' "page cache warm" "seconds" "ratio / target"
row "readback2fw (with verification)" "$ours"
row "manual: dd + img2simg + md5sum" "$manual_t" "${speedup}x slower than readback2fw (target >= 20x: $(verdict "$speedup" '>=' 20))"
row "reading the used data once (read-ranges)" "$used_t" "readback2fw is ${vs_used}x of it (target <= 3x: $(verdict "$vs_used" '<=' 3))"
row "  of which python3's start" "$python_t"
row "cat of the image files to /dev/null" "$cat_t" "readback2fw is $(ratio "$ours" "$cat_t")x of it"
row "cat of the image files into a file" "$copy_t" "readback2fw is $(ratio "$ours" "$copy_t")x of it"
if [ -n "$cold" ]; then
  cold_vs_used=$(ratio "$cold_ours" "$cold_used")
  printf '%-46s\n' "page cache cold (dropped before each run)"
  row "readback2fw (with verification)" "$cold_ours"
  row "reading the used data once (read-ranges)" "$cold_used" "readback2fw is ${cold_vs_used}x of it (target <= 3x: $(verdict "$cold_vs_used" '<=' 3))"
  row "cat of the image files to /dev/null" "$cold_cat" "readback2fw is $(ratio "$cold_ours" "$cold_cat")x of it"
fi
printf '%-46s %8s  KiB peak RSS (largest process)\n' "readback2fw" "$rss"
echo "output: $(du -sk "$dir/rss" | cut -f1) KiB readback2fw vs $(du -sk "$dir/manual" | cut -f1) KiB manual"
