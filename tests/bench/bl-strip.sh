#!/usr/bin/env bash
# bl-strip beside the seed blog's `dd bs=512 skip=4` (which keeps the padding) on a 4 MiB eMMC
# BOOT1 readback with a 240 KiB preloader (sig_type 3, SHA-256 checked), page cache warm.
# Issue 4 sets no performance target: the table is for information; peak RSS shows that memory
# does not follow file_len.
# BENCH_DIR: scratch folder (default a mktemp -d under /var/tmp, removed at the end).
# BENCH_RUNS: hyperfine runs per command (default 20).
set -euo pipefail
source "$(dirname "$0")/lib.bash"
bench_init bl-strip hyperfine jq python3 /usr/bin/time
runs=${BENCH_RUNS:-20}

boot1_image "$dir/Boot1" "$dir/expected" --storage emmc --sig-type 3 --body 240000
hyperfine --warmup 2 --runs "$runs" --style basic --export-json "$dir/h.json" -N \
  "$tool -o $dir/pl.bin $dir/Boot1" \
  "dd if=$dir/Boot1 of=$dir/dd.bin bs=512 skip=4 status=none" \
  "$tool --info $dir/Boot1" >&2
cmp "$dir/pl.bin" "$dir/expected"
rss=$( { /usr/bin/time -v "$tool" -o "$dir/pl.bin" "$dir/Boot1"; } 2>&1 | awk -F': ' '/Maximum resident/ {print $2}')

read -r ours dd info < <(jq -r '.results | map(.mean) | @tsv' "$dir/h.json")
printf "%-44s %10s %8s\n" "case ($runs runs, mean)" "time" "vs dd"
awk -v a="$ours" -v b="$dd" -v c="$info" 'BEGIN {
  printf "%-44s %8.2f ms %7.2fx\n", "bl-strip -o (exact file_len, SHA-256 checked)", a * 1000, a / b
  printf "%-44s %8.2f ms %7.2fx\n", "dd bs=512 skip=4 (keeps the padding)", b * 1000, 1
  printf "%-44s %8.2f ms %7.2fx\n", "bl-strip --info", c * 1000, c / b }'
echo "output: bl-strip $(stat -c %s "$dir/pl.bin") bytes (= file_len), dd $(stat -c %s "$dir/dd.bin") bytes"
echo "peak RSS of bl-strip -o: $rss KiB (no performance target in issue 4)"
