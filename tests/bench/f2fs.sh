#!/usr/bin/env bash
# shellcheck disable=SC2034  # the NAME_cmd variables are read through cmd NAME; BENCH_NAME by say
# Benchmark of issue 17: the f2fs sparse userdata against img2simg, side by side in one run.
# The sample (tests/bench/mkf2fs, cached): a dense 16 GiB f2fs (mkfs.f2fs -t 0 over old
# pseudo-random data, sload.f2fs of ~4 GB of files), old data in every block f2fs does not use.
# Each command runs BENCH_RUNS times with the page cache warm (userdata.img read before each run)
# and cold (evicted before each run: tests/bench/evict; BENCH_DROP_CACHES=1 for drop_caches),
# medians count:
#   ours       ext4-sparse -o OUT IMG
#   verify     ext4-sparse --verify OUT IMG (reported apart; no target)
#   copy       cat OUT > FILE: writing our output once, the floor of any encoder that writes
#              those bytes (reported apart; no target)
#   img2simg   img2simg IMG OUT
# The ideal: the blocks a flasher must write, from f2fs-tools (dump.f2fs's SIT, checked against
# fsck.f2fs's checkpoint count; recorded by mkf2fs): every block outside the main area + the
# valid main-area blocks, x 4096.
# Targets (issue 17): time <= 0.15x img2simg, warm and cold; bytes the flasher writes (RAW + FILL
# blocks, tests/bench/sparse-walk) within 1% of the ideal; peak RSS < 64 MiB.
# Skips (exit 0, with a message) without f2fs-tools.  Needs ~26 GiB free in BENCH_DIR (default
# /var/tmp: img2simg's output of a dense 16 GiB is ~16 GiB, ours and its copy ~4 GiB each) and,
# to build the sample, ~21 GiB in BENCH_CACHE (16 GiB kept).  Outputs are removed at the end.
# BENCH_RUNS: runs per command and cache state (default 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
BENCH_NAME=f2fs
skip() { say "skipped: $*"; exit 0; }
# shellcheck source=../lib/f2fs.bash
source "$here/../lib/f2fs.bash"
need_f2fs_tools
bench_init ext4-sparse hyperfine jq img2simg simg2img openssl /usr/bin/time
BENCH_NAME=f2fs  # say's prefix (bench_init named it after the tool)
runs=${BENCH_RUNS:-3}

bench_space "$dir" 26 "the outputs (img2simg's is ~16 GiB)"
cache_dir=${BENCH_CACHE:-/var/tmp/mtkfw-bench-cache}
if ! ls "$cache_dir"/f2fs-*/done >/dev/null 2>&1; then bench_space "$cache_dir" 21 "building the sample"; fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "the sample (tests/bench/mkf2fs; cached)"
sample=$("$here/mkf2fs")
img=$sample/userdata.img
say "sample: $sample"
value() { awk -v k="$1" '$1 == k { print $2 }' "$sample/ideal.txt"; }
ideal=$(($(value ideal_blocks) * 4096))

# --- The commands (NAME_cmd, read through cmd NAME; tests/bench/lib.bash runs them).
ours_cmd="$tool -o $dir/ours.simg $img"
verify_cmd="$tool --verify $dir/ours.simg $img"
copy_cmd="cat $dir/ours.simg > $dir/copy.simg"
img2simg_cmd="img2simg $img $dir/img2simg.simg"
names=(ours verify copy img2simg)
if ! err=$($ours_cmd 2>&1 >/dev/null); then
  names=(img2simg)
  say "ours does not take this f2fs yet, so only img2simg runs: ext4-sparse says: $err"
fi
cmd() { local v=${1}_cmd; echo "${!v}"; }
key() {
  case $1 in
    ours) echo "$tool -o" ;; verify) echo "$tool --verify" ;; copy) echo "cat $dir/ours.simg" ;;
    img2simg) echo "img2simg $img" ;;
  esac
}
input() { if [ "$1" = copy ]; then echo "$dir/ours.simg"; else echo "$img"; fi; }
out() { case $1 in ours) echo "$dir/ours.simg" ;; img2simg) echo "$dir/img2simg.simg" ;; *) ;; esac; }
bench_scratch=$dir/copy.simg

bench_side_by_side "$runs" "$img" "${names[@]}"
rm -f "$dir/img2simg.simg"  # 16 GiB: walked, not needed for the table

# --- The table.
report=$dir/report
{
  echo "f2fs bench: $(stat -c %s "$img")-byte dense f2fs ($sample), medians of $runs runs"
  echo "cold = $cold_method; after eviction $resident% of userdata.img was resident (fincore)"
  echo "load average: $load_before at the start, $load_after at the end (2 cores, shared)"
  bench_table img2simg "$ideal" "${names[@]}"
  echo "ideal: $ideal bytes the flasher must write ((blocks outside the main area + valid blocks) x 4096; f2fs-tools' counts):"
  sed 's/^/  /' "$sample/ideal.txt"
  [ -z "$verify_out" ] || echo "ext4-sparse --verify: $verify_out"
  # The verdicts, one per target line of the issue.
  if [ "${names[0]}" = ours ]; then
    for cache in warm cold; do bench_verdict_time "$cache" 0.15; done
    bench_verdict_size "$ideal"
  else
    echo "targets: not measured (ours does not take f2fs yet)"
  fi
} > "$report"
cat "$report"
[ -z "${BENCH_REPORT:-}" ] || cp "$report" "$BENCH_REPORT"
