#!/usr/bin/env bats
# readback2fw and the user's only copy of a phone: no output is ever an input, --force removes only
# what readback2fw writes, a full disk, an unwritable OUTDIR and a Ctrl-C are said as what they are,
# and one progress line covers the whole run.

load test_helper

setup_file() { make_pipeline_sample firmware; }
setup() { enter_pipeline_test; }

teardown() {
  if [ -n "${MOUNTED:-}" ]; then umount "$MOUNTED" 2>/dev/null || umount -l "$MOUNTED"; fi
  if [ -n "${SHARED_DIR:-}" ]; then rm -rf "$SHARED_DIR"; fi
}

# A copy of a dump that costs no room where the file system can share blocks.
copy_dump() {  # FROM TO
  cp --reflink=auto --sparse=always "$1" "$2"
}

# Skips unless this test can mount (root in a namespace that allows it).
need_mount() {
  [ "$(id -u)" = 0 ] || skip "needs root to mount a small tmpfs"
  mkdir -p probe && mount -t tmpfs -o size=1m tmpfs probe 2>/dev/null || skip "cannot mount a tmpfs here"
  umount probe
}

# --- 1. no output is an input ---------------------------------------------------------------

# Runs readback2fw --force BOOT1 USER out and asserts it refuses (1) naming PATH and ROLE, leaving
# every file in out byte-identical and no stage behind.
assert_refused() {  # PATH ROLE BOOT1 USER
  (cd out && find . -type f -print0 | sort -z | xargs -0r md5sum) > ../before.md5
  ls -A out > ../before.ls
  md5sum "$3" "$4" > ../dumps.md5
  run --separate-stderr readback2fw -q --force "$3" "$4" out
  assert_failure 1
  [[ "$stderr" == "readback2fw: error: $1: it is the $2 dump ("*"): readback2fw writes a file of that name there"* ]]
  [ ! -s ../before.md5 ] || (cd out && md5sum --quiet -c ../../before.md5)
  md5sum --quiet -c ../dumps.md5
  assert_equal "$(ls -A out)" "$(cat ../before.ls)"
}

@test "a dump in OUTDIR under an output's name is refused with --force; every dump stays as it was" {
  mkdir case && cd case
  # The same name, BOOT1 given by a relative path: the preloader's name.
  mkdir out && copy_dump "$SAMPLE/Boot1" out/preloader_sample6752.bin
  assert_refused out/preloader_sample6752.bin BOOT1 out/preloader_sample6752.bin "$SAMPLE/User"
  rm -rf out
  # The same name, USER given by an absolute path: a sparse image's name (known from the scatter).
  mkdir out && copy_dump "$SAMPLE/User" out/userdata.img
  assert_refused out/userdata.img USER "$SAMPLE/Boot1" "$PWD/out/userdata.img"
  rm -rf out
  # USER saved under the scatter's name.
  mkdir out && copy_dump "$SAMPLE/User" out/MT6752_Android_scatter.txt
  assert_refused out/MT6752_Android_scatter.txt USER "$SAMPLE/Boot1" out/MT6752_Android_scatter.txt
  rm -rf out
  # A symlink in OUTDIR to USER, USER given by its own name; a symlink to BOOT1 given absolute.
  copy_dump "$SAMPLE/User" User && copy_dump "$SAMPLE/Boot1" Boot1
  mkdir out && ln -s ../User out/boot.img
  assert_refused out/boot.img USER Boot1 User
  rm -rf out
  mkdir out && ln -s "$PWD/Boot1" out/preloader_sample6752.bin
  assert_refused out/preloader_sample6752.bin BOOT1 "$PWD/Boot1" User
  rm -rf out
  # A hard link in OUTDIR to USER, under a raw image's name; USER given by a symlink elsewhere.
  mkdir out && ln User out/lk.bin && ln -s User user-link
  assert_refused out/lk.bin USER Boot1 user-link
}

@test "a dump in OUTDIR under a name readback2fw does not write is used and kept" {
  mkdir out
  copy_dump "$SAMPLE/User" out/User
  md5sum out/User > user.md5
  readback2fw -q --force "$SAMPLE/Boot1" out/User out
  md5sum -c --quiet user.md5
  cmp out/system.img "$FW/system.img"
}

# --- 2. what --force removes --------------------------------------------------------------

@test "--force removes an earlier run's files (named, one line), keeps others, a link, a dump" {
  mkdir out
  cp -r "$FW"/. out/
  echo mine > out/notes.txt
  echo mine > out/preloader_other.bin   # named by no scatter: not known to be ours
  echo keep > victim
  copy_dump "$SAMPLE/User" out/User
  md5sum out/User victim > kept.md5
  # The earlier run's scatter names a file this run does not write, a link to a file outside
  # OUTDIR, and the USER dump itself.
  sed 's|file_name: tee1.img|file_name: old-tee1.img|; s|file_name: tee2.img|file_name: outside.img|; s|file_name: secro.img|file_name: User|' \
    "$FW/MT6752_Android_scatter.txt" > out/MT6752_Android_scatter.txt
  echo old > out/old-tee1.img
  ln -s ../victim out/outside.img
  run --separate-stderr readback2fw --force "$SAMPLE/Boot1" out/User out
  assert_success
  md5sum -c --quiet kept.md5
  assert_file_exists out/notes.txt
  assert_file_exists out/preloader_other.bin
  assert_link_exists out/outside.img
  assert_not_exist out/old-tee1.img
  [[ "$stderr" == *"not removing 'outside.img', named by MT6752_Android_scatter.txt: a symbolic link (readback2fw writes none)"* ]]
  [[ "$stderr" == *"not removing 'User', named by MT6752_Android_scatter.txt: it is the USER dump (out/User)"* ]]
  line=$(grep -- '--force: removed' <<<"$stderr")
  [[ "$line" == "readback2fw: --force: removed "*" files of an earlier run from out: "* ]]
  for f in MT6752_Android_scatter.txt preloader_sample6752.bin old-tee1.img lk.bin Checksum.ini report.txt .mtkfw/; do
    [[ " ${line#*out: } " == *" $f "* ]]
  done
  [[ " ${line#*out: } " != *" notes.txt "* ]]
  cmp out/lk.bin "$FW/lk.bin"
  # -q: the same run says nothing.
  run --separate-stderr readback2fw -q --force "$SAMPLE/Boot1" out/User out
  assert_success
  assert_equal "$stderr" ""
}

@test "the man page says what --force removes" {
  # Rendered wide, so that no phrase is broken by the terminal's width.
  run env MANWIDTH=400 man -l "$MTKFW_ROOT/man/readback2fw.1"
  [[ "$output" == *"the files it names that are downloaded"* ]]
  run grep -c 'symbolic link' "$MTKFW_ROOT/man/readback2fw.1"
  [ "$output" -ge 1 ]
}

# --- 3. disk full -------------------------------------------------------------------------

@test "too little room in OUTDIR: exit 3 before the images, with the bytes needed and available" {
  need_mount
  mkdir small && mount -t tmpfs -o size=20m tmpfs small && MOUNTED=$PWD/small
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" "$SAMPLE/User" small/out
  assert_failure 3
  [[ "$stderr" =~ ^"readback2fw: error: small/out: No space left on device: the run needs "([0-9]+)" bytes in small/out, "([0-9]+)" available"$ ]]
  need=${BASH_REMATCH[1]} avail=${BASH_REMATCH[2]}
  # At least the raw images (sfdisk's sizes) and the sparse ones as simg2img's input is long.
  raw=0
  for p in lk boot recovery secro logo tee1 tee2; do read -r _ size < <(partition_range "$SAMPLE/User" "$p"); raw=$(( raw + size )); done
  sparse=$(stat -c %s "$FW/system.img" "$FW/cache.img" "$FW/userdata.img" | awk "{ s += \$1 } END { print s }")
  [ "$need" -ge $(( raw + sparse )) ]
  [ "$avail" -le $(( 20 << 20 )) ]
  run ls -A small/out
  assert_output ""
}

@test "a disk that fills up during the images: exit 3 with the filter's no-space words, nothing left" {
  need_mount
  mkdir small && mount -t tmpfs -o size=120m tmpfs small && MOUNTED=$PWD/small
  # Another program fills the disk while the first sparse image is proven (its summary is written
  # to the stage), then while the next image is made.
  fake_tool ext4-sparse '[ -e "'"$PWD"'/small/filler" ] || case " $* " in *" --verify "*)
      dd if=/dev/zero of="'"$PWD"'/small/filler" bs=1M status=none 2>/dev/null ;; esac
    exec "'"$MTKFW_ROOT"'/bin/ext4-sparse" "$@"'
  MTKFW_BIN=$PWD/fakebin run --separate-stderr readback2fw -q -j 1 "$SAMPLE/Boot1" "$SAMPLE/User" small/out
  assert_failure 3
  [[ "$stderr" == *"No space left on device"* ]]
  [[ "$stderr" != *"does not"* ]]
  [[ "$stderr" != *"standard output"* ]]   # the file that could not be written is named
  rm -f small/filler
  run ls -A small/out
  assert_output ""
}

# --- 4. an unwritable OUTDIR --------------------------------------------------------------

@test "OUTDIR under a file: an error in readback2fw's voice (3)" {
  touch afile
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" "$SAMPLE/User" afile/out
  assert_failure 3
  assert_equal "$stderr" "readback2fw: error: afile/out: cannot write: Not a directory"
}

@test "an OUTDIR (or its parent) the user may not write: an error in readback2fw's voice (3)" {
  [ "$(id -u)" = 0 ] || skip "needs root to run as nobody (setpriv)"
  command -v setpriv >/dev/null || skip "no setpriv"
  # A folder nobody can read but not write, holding the dumps (the test's own folder is private).
  SHARED_DIR=$(mktemp -d /tmp/mtkfw-safety.XXXXXX)
  chmod 755 "$SHARED_DIR"
  ln "$SAMPLE/Boot1" "$SHARED_DIR/Boot1" 2>/dev/null || cp "$SAMPLE/Boot1" "$SHARED_DIR/Boot1"
  ln "$SAMPLE/User" "$SHARED_DIR/User" 2>/dev/null || copy_dump "$SAMPLE/User" "$SHARED_DIR/User"
  mkdir "$SHARED_DIR/out"
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$PATH" "$@"; }
  as_nobody test -r "$SHARED_DIR/User" -a -x "$MTKFW_ROOT/scripts/readback2fw" || skip "nobody cannot read the dumps or the tools here"
  cd "$SHARED_DIR"
  run --separate-stderr as_nobody readback2fw -q Boot1 User out
  assert_failure 3
  assert_equal "$stderr" "readback2fw: error: out: cannot write: Permission denied"
  run --separate-stderr as_nobody readback2fw -q Boot1 User out/fw
  assert_failure 3
  assert_equal "$stderr" "readback2fw: error: out/fw: cannot write: Permission denied"
  run ls -A out
  assert_output ""
}

# --- 5. signals ---------------------------------------------------------------------------

@test "a Ctrl-C to the whole group during the images: 'interrupted', 130, OUTDIR as it was" {
  command -v setsid >/dev/null || skip "no setsid"
  env --default-signal=INT true 2>/dev/null || skip "env has no --default-signal (coreutils < 8.31)"
  # The image filters are slow; the first says the group it runs in.
  fake_tool part-cut 'read -r -a st < /proc/$$/stat; echo "${st[4]}" > "'"$PWD"'/pgid.tmp" && mv "'"$PWD"'/pgid.tmp" "'"$PWD"'/pgid"
    sleep 2; exec "'"$MTKFW_ROOT"'/bin/part-cut" "$@"'
  mkdir out && echo mine > out/notes.txt
  # A group of its own, with SIGINT as a terminal's foreground job has it (a background job of a
  # shell without job control, as this test is, starts with SIGINT ignored).
  MTKFW_BIN=$PWD/fakebin setsid -w env --default-signal=INT \
    readback2fw --force -j 2 "$SAMPLE/Boot1" "$SAMPLE/User" out 2> err &
  pid=$!
  for i in $(seq 200); do [ -s pgid ] && break; sleep 0.05; done
  assert_file_exists pgid
  sleep 0.3
  kill -INT -- "-$(cat pgid)"
  status=0
  wait "$pid" || status=$?
  assert_equal "$status" 130
  run grep -v -e '^readback2fw: producing' -e 'sectors after the backup GPT' err
  assert_output "readback2fw: interrupted"
  run ls -A out
  assert_output "notes.txt"
}

@test "a proof killed by a signal is no mismatch: TERM is an interruption, KILL an internal error" {
  # ext4-sparse --verify killed by TERM, then by KILL.
  for sig in TERM KILL; do
    fake_tool ext4-sparse 'case " $* " in *" --verify "*) kill -'"$sig"' $$ ;; esac
      exec "'"$MTKFW_ROOT"'/bin/ext4-sparse" "$@"'
    MTKFW_BIN=$PWD/fakebin run --separate-stderr readback2fw -q -j 1 "$SAMPLE/Boot1" "$SAMPLE/User" out
    if [ "$sig" = TERM ]; then
      assert_failure 143
      assert_equal "$stderr" "readback2fw: interrupted"
    else
      assert_failure 4
      assert_equal "$stderr" "readback2fw: error: ext4-sparse failed with exit status 137"
    fi
    run ls -A out
    assert_output ""
  done
  # cmp, the raw images' proof, killed by INT.
  rm -rf fakebin
  fake_tool part-cut 'exec "'"$MTKFW_ROOT"'/bin/part-cut" "$@"'
  printf '#!/usr/bin/env bash\nkill -INT $$\n' > fakebin/cmp && chmod +x fakebin/cmp
  MTKFW_BIN=$PWD/fakebin run --separate-stderr readback2fw -q -j 1 "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_failure 130
  assert_equal "$stderr" "readback2fw: interrupted"
}

# --- 6. progress --------------------------------------------------------------------------

@test "--progress: one line for the whole run, redrawn, with bytes, percentage, rate; -q and --no-progress: none" {
  # Slow raw images, so that the line is drawn while they are made.
  fake_tool part-cut 'sleep 0.4; exec "'"$MTKFW_ROOT"'/bin/part-cut" "$@"'
  MTKFW_BIN=$PWD/fakebin readback2fw --progress -j 2 "$SAMPLE/Boot1" "$SAMPLE/User" out 2> err
  tr '\r' '\n' < err | grep -v '^$' > lines
  # Every line is readback2fw's own: progress, or its two messages; never a filter's bar.
  run grep -vE '^readback2fw: [0-9.]+ (B|KiB|MiB|GiB) of [0-9.]+ (B|KiB|MiB|GiB) \([0-9]+%\), [0-9.]+ (B|KiB|MiB|GiB)/s(, ETA [0-9]+:[0-9]{2})? *$|^readback2fw: producing |^readback2fw: firmware for |^readback2fw: .*sectors after the backup GPT' lines
  assert_output ""
  # One line at a time: each progress text is one \r-redrawn piece, not one per job.
  [ "$(grep -c ' of ' err)" = 1 ]
  mapfile -t pct < <(grep -oE '\([0-9]+%\)' lines | tr -d '()%')
  [ "${#pct[@]}" -ge 3 ]
  assert_equal "${pct[-1]}" 100
  for ((i = 1; i < ${#pct[@]}; i++)); do [ "${pct[i]}" -ge "${pct[i-1]}" ]; done
  [ "$(printf '%s\n' "${pct[@]}" | sort -u | wc -l)" -ge 3 ]   # it moves
  rm -rf out
  readback2fw --no-progress "$SAMPLE/Boot1" "$SAMPLE/User" out 2> err
  run grep -c '%' err
  assert_output 0
  rm -rf out
  readback2fw -q --progress "$SAMPLE/Boot1" "$SAMPLE/User" out 2> err
  assert_equal "$(cat err)" ""
}

@test "progress by default only when stderr is a terminal (script(1) gives the run a pty)" {
  fake_tool part-cut 'sleep 0.4; exec "'"$MTKFW_ROOT"'/bin/part-cut" "$@"'
  export MTKFW_BIN=$PWD/fakebin SAMPLE
  script -qec 'readback2fw -j 2 "$SAMPLE/Boot1" "$SAMPLE/User" out' /dev/null > tty.log
  grep -qE 'readback2fw: [0-9.]+ (B|KiB|MiB) of .*\(100%\)' tty.log
  rm -rf out
  # The same terminal, stderr into a file: no line.
  script -qec 'readback2fw -j 2 "$SAMPLE/Boot1" "$SAMPLE/User" out 2> err' /dev/null > tty.log
  run grep -c '%' err tty.log
  assert_output $'err:0\ntty.log:0'
}
