#!/usr/bin/env bash
# shellcheck disable=SC2034  # the NAME_cmd variables are read through cmd NAME; BENCH_NAME by say
# Benchmark of issue 16: the allocation-aware sparse super against the open tools, side by side
# in one run.  The sample (tests/bench/mksuper, cached): a dense 4.5 GiB super made by AOSP
# lpmake, ~2.5 GB of logical partitions (system_a ext4 1600 MiB with an AVB-like tail, vendor_a
# ext4 400 MiB, both ~30% free holding old data; product_a erofs ~500 MiB), old data in all
# unallocated space.  Each command runs BENCH_RUNS times with the page cache warm (super.img read
# before each run) and cold (evicted before each run: tests/bench/evict), medians count:
#   ours       ext4-sparse -o OUT super.img
#   verify     ext4-sparse --verify OUT super.img (reported apart; no target)
#   img2simg   img2simg super.img OUT
#   lp tools   lpunpack super.img DIR + lpmake --sparse with super's own layout (from lpdump)
#   copy       cat OUT > FILE: writing our output once, the floor of any encoder that writes
#              those bytes (reported apart; no target)
# Targets (issue 16): time <= 0.2x img2simg and < lpunpack + lpmake, warm and cold; bytes the
# flasher writes (RAW + FILL blocks, tests/bench/sparse-walk) within 1% of the ideal (LP metadata
# + allocated ext4 blocks + ext4 tails past blocks_count + erofs partitions); peak RSS < 64 MiB.
# Skips (exit 0, with a message) without the AOSP peers (../shared/peers/bin or MTKFW_PEERS).
# Needs ~13 GiB free in BENCH_DIR (default /var/tmp) and ~7 GiB in BENCH_CACHE (the sample).
# BENCH_RUNS: runs per command and cache state (default 3).
set -euo pipefail
source "$(dirname "$0")/lib.bash"
bench_init ext4-sparse hyperfine jq img2simg simg2img dumpe2fs mke2fs debugfs mkfs.erofs fsck.erofs openssl /usr/bin/time
runs=${BENCH_RUNS:-3}
here=$root/tests/bench
skip() { say "skipped: $*"; exit 0; }
# shellcheck source=../lib/super.bash
source "$root/tests/lib/super.bash"
need_lp_peers
BENCH_NAME=super  # say's prefix (bench_init named it after the tool)

free_kib=$(df -k --output=avail "$dir" | tail -1)
[ "$free_kib" -ge $((13 << 20)) ] || { say "needs 13 GiB free in $dir, has $((free_kib >> 20)) GiB"; exit 2; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "the sample (tests/bench/mksuper; cached)"
sample=$("$here/mksuper")
super=$sample/super.img
say "sample: $sample"

# --- The ideal, from the originals lpmake got (dumpe2fs of each ext4: its used blocks, the
# complement of its free ranges in the block bitmaps) and lpdump's layout.
metadata=$("$here/../lib/lp-layout" "$super" metadata)
ideal=$metadata
sizes=$dir/sizes
printf '%-12s %-6s %14s %14s %14s\n' partition kind "partition B" "fs used B" "tail B" > "$sizes"
images=()
while read -r name bytes; do
  img=$sample/$name.img
  images+=("--image=$name=$dir/unpacked/$name.img")
  if dumpe2fs -h "$img" >/dev/null 2>&1; then
    read -r bs count free < <(dumpe2fs "$img" 2>/dev/null | awk -F: '
      /^Block size/ { bs = $2 + 0 } /^Block count/ { n = $2 + 0 }
      /^  Free blocks: / { sub(/^  Free blocks: /, ""); k = split($0, r, ",")
        for (i = 1; i <= k; i++) if (r[i] != "") { m = split(r[i], ab, "-"); free += (m == 2 ? ab[2] - ab[1] + 1 : 1) } }
      END { print bs, n, free + 0 }')
    used=$(((count - free) * bs)) tail=$((bytes - count * bs))
    ideal=$((ideal + used + tail))
    printf '%-12s %-6s %14d %14d %14d\n' "$name" ext4 "$bytes" "$used" "$tail" >> "$sizes"
  else
    ideal=$((ideal + bytes))
    printf '%-12s %-6s %14d %14s %14s\n' "$name" erofs "$bytes" "(all)" - >> "$sizes"
  fi
done < <("$here/../lib/lp-layout" "$super" partitions)
printf '%-12s %-6s %14d\n' "LP metadata" - "$metadata" >> "$sizes"

# --- The commands (NAME_cmd, read through cmd NAME).  Each run appends its peak RSS (KiB, the largest process) to NAME.rss.
flags=$("$here/../lib/lp-layout" "$super" flags)
timed() { echo "/usr/bin/time -f %M -a -o $dir/$1.rss $2"; }
ours_cmd="$tool -o $dir/ours.simg $super"
verify_cmd="$tool --verify $dir/ours.simg $super"
copy_cmd="cat $dir/ours.simg > $dir/copy.simg"
img2simg_cmd="img2simg $super $dir/img2simg.simg"
lp_cmd="sh -c 'rm -rf $dir/unpacked && mkdir $dir/unpacked && $LP_BIN/lpunpack $super $dir/unpacked >/dev/null 2>&1 &&
  $LP_BIN/lpmake $flags ${images[*]} --sparse --output=$dir/lpmake.simg >/dev/null 2>&1'"
names=(img2simg lp)
if err=$($ours_cmd 2>&1 >/dev/null); then
  names=(ours verify copy img2simg lp)
else
  say "ours does not take this super yet, so only the peers run: ext4-sparse says: $err"
fi
cmd() { local v=${1}_cmd; echo "${!v}"; }
# key NAME: a piece of NAME's command line that no other command has (to find it in hyperfine's JSON).
key() {
  case $1 in
    ours) echo "$tool -o" ;; verify) echo "$tool --verify" ;; copy) echo "cat $dir/ours.simg" ;;
    img2simg) echo "img2simg $super" ;; lp) echo lpunpack ;;
  esac
}
# input NAME: the file NAME reads (warmed or evicted before each run).
input() { if [ "$1" = copy ]; then echo "$dir/ours.simg"; else echo "$super"; fi; }
out() { case $1 in ours) echo "$dir/ours.simg" ;; img2simg) echo "$dir/img2simg.simg" ;; lp) echo "$dir/lpmake.simg" ;; *) ;; esac; }

cold_method=$(bench_cold_method)
for cache in warm cold; do
  args=()
  for n in "${names[@]}"; do
    o=$(out "$n")
    if [ "$cache" = warm ]; then warm="cat $(input "$n") > /dev/null"; else warm="$here/evict $(input "$n")"; fi
    args+=(--prepare "rm -rf ${o:-$dir/none} $dir/copy.simg $dir/unpacked; sync; $warm" "$(timed "$n.$cache" "$(cmd "$n")")")
    : > "$dir/$n.$cache.rss"
  done
  say "page cache $cache: ${names[*]}, $runs runs each"
  hyperfine --style basic --runs "$runs" --export-json "$dir/$cache.json" "${args[@]}" >&2
done
"$here/evict" "$super"
resident=$(bench_resident "$super")
verify_out=""
if [ "${names[0]}" = ours ]; then verify_out=$($verify_cmd | tr '\n' ' '); fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The table.
for n in "${names[@]}"; do
  o=$(out "$n")
  if [ -n "$o" ]; then
    simg2img "$o" /dev/null   # a real consumer parses each image
    read -r written raw fill _ _ chunks < <("$here/sparse-walk" "$o")
    echo "$n $(stat -c %s "$o") $written $raw $fill $chunks" >> "$dir/images"
  else
    echo "$n - - - - -" >> "$dir/images"
  fi
done
rm -f "$dir/copy.simg"
median() { jq -r --arg c "$2" '.results[] | select(.command | contains($c)) | "\(.median) \(.user + .system)"' "$dir/$1.json"; }
peak() { sort -n "$dir/$1.rss" | tail -1; }
report=$dir/report
{
  echo "super bench: $(stat -c %s "$super")-byte dense super ($sample), medians of $runs runs"
  echo "cold = $cold_method; after eviction $resident% of super.img was resident (fincore)"
  echo "load average: $load_before at the start, $load_after at the end (2 cores, shared)"
  printf '%-9s %-5s %9s %9s %9s %8s %14s %14s %9s\n' command cache "wall s" "CPU s" "vs img2" "RSS MiB" \
    "output B" "flasher B" "vs ideal"
  for cache in warm cold; do
    read -r ref _ < <(median "$cache" "$(key img2simg)")
    for n in "${names[@]}"; do
      read -r wall cpu < <(median "$cache" "$(key "$n")")
      read -r _ size written _ < <(grep "^$n " "$dir/images")
      awk -v n="$n" -v c="$cache" -v w="$wall" -v u="$cpu" -v r="$ref" -v m="$(peak "$n.$cache")" \
          -v s="$size" -v f="$written" -v i="$ideal" 'BEGIN {
        printf "%-9s %-5s %9.2f %9.2f %8.3fx %8.1f %14s %14s %9s\n", n, c, w, u, w / r, m / 1024, s, f,
          (f == "-" ? "-" : sprintf("%+.2f%%", 100 * (f - i) / i)) }'
    done
  done
  echo "ideal: $ideal bytes the flasher must write (LP metadata + used ext4 blocks + ext4 tails + erofs partitions):"
  cat "$sizes"
  echo "sizes (bytes): output file / written by the flasher (RAW+FILL) / RAW / FILL / chunks"
  awk '$2 != "-" { printf "  %-9s %14s %14s %14s %14s %8s\n", $1, $2, $3, $4, $5, $6 }' "$dir/images"
  echo "  ideal     %14s $ideal" | sed 's/%14s//'
  [ -z "$verify_out" ] || echo "ext4-sparse --verify: $verify_out"
  # The verdicts, one per target line of the issue.
  if [ "${names[0]}" = ours ]; then
    for cache in warm cold; do
      read -r ours _ < <(median "$cache" "$(key ours)")
      read -r ref _ < <(median "$cache" "$(key img2simg)")
      read -r lp _ < <(median "$cache" "$(key lp)")
      read -r copy _ < <(median "$cache" "$(key copy)")
      awk -v c="$cache" -v a="$ours" -v b="$ref" -v l="$lp" -v k="$copy" 'BEGIN {
        printf "%s: (ours takes %.2fx the time of writing its output once, cat: the floor; no target)\n", c, a / k
        printf "%s: time %.3fx img2simg (target <= 0.2x): %s\n", c, a / b, (a <= 0.2 * b ? "PASS" : "FAIL")
        printf "%s: time %.2f s vs lpunpack + lpmake --sparse %.2f s (target: faster): %s\n", c, a, l, (a < l ? "PASS" : "FAIL") }'
    done
    read -r _ _ written _ < <(grep '^ours ' "$dir/images")
    awk -v f="$written" -v i="$ideal" 'BEGIN { d = 100 * (f - i) / i
      printf "flasher bytes %+.2f%% of the ideal (target within 1%%): %s\n", d, (d <= 1 && d >= -1 ? "PASS" : "FAIL") }'
    rss=$(cat "$dir/ours.warm.rss" "$dir/ours.cold.rss" | sort -n | tail -1)
    awk -v m="$rss" 'BEGIN { printf "peak RSS %.1f MiB (target < 64 MiB): %s\n", m / 1024, (m < 65536 ? "PASS" : "FAIL") }'
  else
    echo "targets: not measured (ours does not take a super yet)"
  fi
} > "$report"
cat "$report"
[ -z "${BENCH_REPORT:-}" ] || cp "$report" "$BENCH_REPORT"
