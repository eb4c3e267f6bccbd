#!/usr/bin/env bash
# part-cut against dd (issue 3), side by side in one run, to files in BENCH_DIR:
#   1. a dense 2 GiB partition of random data, page cache warm:      target <= 0.7x dd's time
#   2. a 12 GiB partition, 97% holes, in a sparse 16 GiB dump:        target <= 0.05x dd's time,
#      output allocation (du) within 1% of the partition's allocated data
#   3. peak RSS (/usr/bin/time -v) of every part-cut run:             target < 16 MiB
# Also shown: copy_file_range alone (xfs_io copy_range, no zero probing) on the same file
# system, the floor under part-cut's file-to-file path; and CPU times, steadier than wall
# times on a shared machine.
# Needs ~33 GiB free in BENCH_DIR (dd writes the 12 GiB partition out densely).
# Usage: tests/bench/part-cut.sh   (BENCH_DIR=/some/dir to choose where; RUNS=N dense rounds)
set -euo pipefail

RUNS=${RUNS:-5}
source "$(dirname "$0")/lib.bash"
bench_init part-cut

MiB=$((1024 * 1024))
GiB=$((1024 * MiB))


# dump FILE SIZE START_SECTOR SECTORS NAME: a GPT dump with one partition.
dump() {
  truncate -s "$2" "$1"
  sgdisk -o -a 1 -n "1:$3:$(( $3 + $4 - 1 ))" -c "1:$5" -t 1:8300 "$1" > /dev/null
}

# mean_of JSON: the mean times of a hyperfine export, one per line.
mean_of() { jq -r '.results[].mean' "$1"; }
# median_of JSON...: per command, the median of its mean times over several exports.
median_of() {
  jq -s -r '[.[].results] | transpose[] | map(.mean) | sort | .[length / 2 | floor]' "$@"
}
# median_cpu_of JSON...: the same for user + system CPU time.
median_cpu_of() {
  jq -s -r '[.[].results] | transpose[] | map(.user + .system) | sort | .[length / 2 | floor]' "$@"
}

# peak_rss CMD...: maximum resident set size in KiB.
peak_rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "ok" : "MISSED") }'; }

say "folder $dir on $(findmnt -n -o FSTYPE -T "$dir"), kernel $(uname -r)"

# --- 1. dense 2 GiB ---------------------------------------------------------------------------
say "building a 2 GiB random partition"
D=$dir/dense
dump "$D" $(( 2 * GiB + 4 * MiB )) 2048 $(( 2 * GiB / 512 )) system
head -c $(( 2 * GiB )) /dev/urandom | dd of="$D" bs=4M seek=$(( 2048 * 512 )) oflag=seek_bytes conv=notrunc status=none
cat "$D" > /dev/null                                  # warm cache
DD1="dd if=$D of=$dir/out bs=4M iflag=skip_bytes,count_bytes skip=$(( 2048 * 512 )) count=$(( 2 * GiB )) status=none"
PC1="$tool -o $dir/out $D system"
CFR1="xfs_io -f -c 'copy_range -s $(( 2048 * 512 )) -d 0 -l $(( 2 * GiB )) $D' $dir/out"
# The machine is shared: the three commands take turns, RUNS rounds, and the medians count.
for round in $(seq 1 "$RUNS"); do
  hyperfine -N --style basic --runs 1 --prepare "sh -c 'rm -f $dir/out; sync'" \
    --export-json "$dir/dense.$round.json" "$DD1" "$PC1" "$CFR1" >&2
done
{ read -r dd1; read -r pc1; read -r cfr1; } < <(median_of "$dir"/dense.*.json)
{ read -r dd1cpu; read -r pc1cpu; read -r cfr1cpu; } < <(median_cpu_of "$dir"/dense.*.json)
$PC1 -v 2>&1 | grep -o 'by [^,]*' | sed 's/^/part-cut copied /' >&2
cmp "$dir/out" <(dd if="$D" bs=4M iflag=skip_bytes,count_bytes skip=$(( 2048 * 512 )) count=$(( 2 * GiB )) status=none)
rm -f "$dir/out"; sync
rss1=$(peak_rss $PC1)
rm -f "$dir/out"
rss_pipe=$(peak_rss sh -c "cat $D | $tool --offset $(( 2048 * 512 )) --size $(( 2 * GiB )) > /dev/null")
rm -f "$D"

# --- 2. 12 GiB, 97% holes, in a sparse 16 GiB dump --------------------------------------------
say "building a sparse 16 GiB dump"
H=$dir/holes
START=$(( 2 * GiB ))
dump "$H" $(( 16 * GiB )) $(( START / 512 )) $(( 12 * GiB / 512 )) userdata
CHUNKS=92; CHUNK=$(( 4 * MiB ))                       # 368 MiB of data: 3.0% of 12 GiB
STRIDE=$(( 12 * GiB / CHUNKS / 4096 * 4096 ))
for i in $(seq 0 $(( CHUNKS - 1 ))); do
  head -c "$CHUNK" /dev/urandom | dd of="$H" bs=4M seek=$(( START + i * STRIDE )) oflag=seek_bytes conv=notrunc status=none
done
DATA=$(( CHUNKS * CHUNK ))
sync
DD2="dd if=$H of=$dir/out bs=4M iflag=skip_bytes,count_bytes skip=$START count=$(( 12 * GiB )) status=none"
PC2="$tool -o $dir/out $H userdata"
hyperfine -N --style basic --runs 1 --prepare "sh -c 'rm -f $dir/out; sync'" \
  --export-json "$dir/holes.json" "$DD2" "$PC2" >&2
{ read -r dd2; read -r pc2; } < <(mean_of "$dir/holes.json")
alloc=$(( $(stat -c %b "$dir/out") * $(stat -c %B "$dir/out") ))
cmp "$dir/out" <(dd if="$H" bs=4M iflag=skip_bytes,count_bytes skip=$START count=$(( 12 * GiB )) status=none)
rm -f "$dir/out"; sync
rss2=$(peak_rss $PC2)
alloc_diff=$(awk -v a="$alloc" -v d="$DATA" 'BEGIN { printf "%.2f", 100 * (a - d) / d }')

# --- the table --------------------------------------------------------------------------------
r1=$(ratio "$pc1" "$dd1"); rc1=$(ratio "$cfr1" "$dd1"); r2=$(ratio "$pc2" "$dd2")
echo "part-cut vs dd on $(findmnt -n -o FSTYPE -T "$dir") ($(uname -r)); dense: medians of $RUNS interleaved rounds"
printf '%-46s %9s %9s %8s %8s %s\n' "case" "dd s" "this s" "ratio" "target" "verdict"
printf '%-46s %9.3f %9.3f %8s %8s %s\n' "dense 2 GiB, warm cache, to a file" "$dd1" "$pc1" "$r1" "<=0.7" "$(verdict "$r1" 0.7)"
printf '%-46s %9.3f %9.3f %8s %8s %s\n' "  the same, CPU time (user+system)" "$dd1cpu" "$pc1cpu" "$(ratio "$pc1cpu" "$dd1cpu")" "" "for comparison"
printf '%-46s %9.3f %9.3f %8s %8s %s\n' "  copy_file_range alone (xfs_io copy_range)" "$dd1" "$cfr1" "$rc1" "" "for comparison"
printf '%-46s %9.3f %9.3f %8s %8s %s\n' "12 GiB 97% holes in 16 GiB sparse, to a file" "$dd2" "$pc2" "$r2" "<=0.05" "$(verdict "$r2" 0.05)"
printf '%-46s %9s %9s %7s%% %7s%% %s\n' "  output allocated vs partition data (MiB)" "$(( DATA / MiB ))" "$(( alloc / MiB ))" "$alloc_diff" "1" \
  "$(awk -v x="$alloc_diff" 'BEGIN { print (x <= 1 && x >= -1 ? "ok" : "MISSED") }')"
printf '%-46s %9s %9s %8s %8s %s\n' "peak RSS KiB: dense / holes / pipe in" "" "$rss1" "$rss2" "$rss_pipe" \
  "$(awk -v a="$rss1" -v b="$rss2" -v c="$rss_pipe" 'BEGIN { m = a; if (b > m) m = b; if (c > m) m = c; print (m < 16384 ? "ok (<16384)" : "MISSED (<16384)") }')"
