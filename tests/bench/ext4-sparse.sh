#!/usr/bin/env bash
# Benchmark of issue 5: ext4-sparse against img2simg on the same images, side by side in one run.
#   1. a 2 GiB ext4 image holding ~300 MiB of files:   time <= 0.25x img2simg
#   2. a 12 GiB ext4 image, mostly empty:              time <= 0.05x img2simg
#   both stored dense (written out, as a readback is), page cache as the runs leave it;
#   output size <= img2simg's; peak RSS (/usr/bin/time -v) <= 64 MiB, also from a pipe.
# On these fresh images img2simg folds the zero free blocks next to zero used blocks into one FILL
# chunk, where we keep free blocks DONT_CARE (the flasher skips them): that costs us a 12-byte
# header per such boundary, and the 64 MiB RAW split another 12 bytes per split, so the size
# column may miss by a few hundred bytes here (on a phone's dump, free blocks hold old data that
# img2simg writes out RAW and we skip).
# Needs ~15 GiB free in BENCH_DIR.
# BENCH_DIR: scratch folder (default a mktemp -d under /var/tmp, removed at the end).
# BENCH_RUNS: hyperfine runs per command (default 5; medians count: one slow run on this shared
# machine, e.g. writeback of an earlier image, once turned a 0.13x into a 'missed' 0.30x mean).
set -euo pipefail
source "$(dirname "$0")/lib.bash"
bench_init ext4-sparse hyperfine jq img2simg mke2fs /usr/bin/time
runs=${BENCH_RUNS:-5}

# A dense image file: zeros written out (not a sparse file), then mke2fs -d without discard
# (discard would punch holes into the file).
dense_fs() {  # IMG SIZE DIR
  say "writing $2 of zeros to $1 and making the file system"
  dd if=/dev/zero of="$1" bs=16M count=$(( $2 / (16 * 1024 * 1024) )) status=none
  mke2fs -q -F -t ext4 -E nodiscard -L bench -d "$3" "$1"
}

say "files: ~300 MiB (random, zero, many small) in $dir"
mkdir -p "$dir/files/many"
head -c 200M /dev/urandom > "$dir/files/random.bin"
head -c 60M /dev/zero > "$dir/files/zero.bin"
for i in $(seq 1 2000); do head -c 20000 /dev/urandom > "$dir/files/many/f$i"; done
mkdir -p "$dir/few"
head -c 8M /dev/urandom > "$dir/few/random.bin"
dense_fs "$dir/2g.img" $((2 * 1024 * 1024 * 1024)) "$dir/files"
dense_fs "$dir/12g.img" $((12 * 1024 * 1024 * 1024)) "$dir/few"

bench() {  # NAME IMAGE -> "ours_median ref_median"
  # Each run writes a new file (the previous one removed and flushed first), for both tools.
  hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$dir/$1.json" \
    --prepare "rm -f $dir/$1.ours.simg; sync" --prepare "rm -f $dir/$1.ref.simg; sync" \
    "$tool -o $dir/$1.ours.simg $2" "img2simg $2 $dir/$1.ref.simg" >&2
  jq -r '.results | map(.median) | @tsv' "$dir/$1.json"
}
rss_kib() { { /usr/bin/time -v "$@" > /dev/null; } 2>&1 | awk -F': ' '/Maximum resident/ {print $2}'; }

printf '%-28s %10s %10s %8s %7s %12s %12s %6s %9s %9s\n' image "ours s" "img2simg s" ratio target \
  "ours bytes" "img2simg B" size "RSS MiB" "pipe RSS" > "$dir/table"
for case in "2g 0.25" "12g 0.05"; do
  read -r name target <<< "$case"
  img="$dir/$name.img"
  read -r ours ref < <(bench "$name" "$img")
  ours_b=$(stat -c %s "$dir/$name.ours.simg")
  ref_b=$(stat -c %s "$dir/$name.ref.simg")
  rss=$(rss_kib "$tool" -o "$dir/$name.rss.simg" "$img")
  pipe_rss=$({ /usr/bin/time -v bash -c "cat '$img' | '$tool' | cat > /dev/null" > /dev/null; } 2>&1 |
             awk -F': ' '/Maximum resident/ {print $2}')
  cmp "$dir/$name.ours.simg" "$dir/$name.rss.simg"
  simg2img "$dir/$name.ours.simg" /dev/null          # a real consumer parses it
  awk -v n="$name.img (dense)" -v a="$ours" -v b="$ref" -v t="$target" -v ob="$ours_b" -v rb="$ref_b" \
      -v r="$rss" -v pr="$pipe_rss" 'BEGIN {
    printf "%-28s %10.3f %10.3f %7.3fx %7s %12d %12d %5.3fx %9.1f %9.1f  %s\n", n, a, b, a / b, "<=" t "x",
      ob, rb, ob / rb, r / 1024, pr / 1024,
      verdict(a / b <= t, ob - rb, r <= 65536 && pr <= 65536) }
    function verdict(time_ok, extra, rss_ok,   v) {
      v = (time_ok ? "time ok" : "time MISSED") ", " (extra <= 0 ? "size ok" : "size MISSED by " extra " B")
      return v ", " (rss_ok ? "RSS ok" : "RSS MISSED") }' >> "$dir/table"
done
echo "ext4-sparse vs img2simg (median of $runs runs; RSS = peak resident, pipe RSS: cat | ext4-sparse | cat):"
cat "$dir/table"
