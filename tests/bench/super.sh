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

bench_space "$dir" 13 "the outputs"
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

# --- The commands (NAME_cmd, read through cmd NAME; tests/bench/lib.bash runs them).
flags=$("$here/../lib/lp-layout" "$super" flags)
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
bench_scratch="$dir/copy.simg $dir/unpacked"

bench_side_by_side "$runs" "$super" "${names[@]}"

# --- The table.
report=$dir/report
{
  echo "super bench: $(stat -c %s "$super")-byte dense super ($sample), medians of $runs runs"
  echo "cold = $cold_method; after eviction $resident% of super.img was resident (fincore)"
  echo "load average: $load_before at the start, $load_after at the end (2 cores, shared)"
  bench_table img2simg "$ideal" "${names[@]}"
  echo "ideal: $ideal bytes the flasher must write (LP metadata + used ext4 blocks + ext4 tails + erofs partitions):"
  cat "$sizes"
  [ -z "$verify_out" ] || echo "ext4-sparse --verify: $verify_out"
  # The verdicts, one per target line of the issue.
  if [ "${names[0]}" = ours ]; then
    for cache in warm cold; do
      bench_verdict_time "$cache" 0.2
      read -r ours _ < <(bench_median "$cache" ours)
      read -r lp _ < <(bench_median "$cache" lp)
      awk -v c="$cache" -v a="$ours" -v l="$lp" 'BEGIN {
        printf "%s: time %.2f s vs lpunpack + lpmake --sparse %.2f s (target: faster): %s\n", c, a, l, (a < l ? "PASS" : "FAIL") }'
    done
    bench_verdict_size "$ideal"
  else
    echo "targets: not measured (ours does not take a super yet)"
  fi
} > "$report"
cat "$report"
[ -z "${BENCH_REPORT:-}" ] || cp "$report" "$BENCH_REPORT"
