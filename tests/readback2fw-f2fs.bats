#!/usr/bin/env bats
# readback2fw on a readback with an f2fs userdata (mkfs.f2fs + sload.f2fs over old random data,
# tests/lib/f2fs.bash) and a layout with both md_udc and metadata (tests/lib/f2fs-readback.bash):
# userdata.img is an f2fs sparse image (EXT4_IMG, as stock types userdata) that simg2img expands
# to a file system fsck.f2fs accepts and whose valid blocks (dump.f2fs's own SIT) equal the dump;
# the partition holding userdata's key goes with it: from the vendor fstab inside super (AOSP
# lpmake), else md_udc by rule; report.txt says what that means; --skip userdata leaves both out;
# readback.mk gives the same folder; the space check bounds the f2fs image like an ext4 one.

load test_helper
source "$MTKFW_ROOT/tests/lib/readback-modern.bash"
source "$MTKFW_ROOT/tests/lib/f2fs.bash"
source "$MTKFW_ROOT/tests/lib/super.bash"
source "$MTKFW_ROOT/tests/lib/f2fs-readback.bash"

setup_file() {
  need_f2fs_tools
  need_lp_peers
  command -v simg2img >/dev/null || skip "simg2img not found (Debian package android-sdk-libsparse-utils)"
  export FS=$BATS_FILE_TMPDIR/fs RULE=$BATS_FILE_TMPDIR/rule
  # The fstab names metadata (the layout has md_udc too): the fstab, not the rule, decides.
  f2fs_readback "$FS" --fstab metadata
  f2fs_readback "$RULE"
  readback2fw -q --platform MT6768 "$FS/Boot1" "$FS/User" "$FS/fw"
  readback2fw -q --platform MT6768 "$RULE/Boot1" "$RULE/User" "$RULE/fw"
}

setup() { cd "$BATS_TEST_TMPDIR"; }

# "name<TAB>file_name<TAB>is_download<TAB>type" of row NAME of SCATTER, read by awk from the text.
row_of() {  # SCATTER NAME
  awk -v want="$2" '
    /partition_name:/ { name = $2 }
    name == want && /file_name:/ { file = $2 }
    name == want && /is_download:/ { dl = $2 }
    name == want && / type:/ { type = $2 }
    END { print want "\t" file "\t" dl "\t" type }' "$1"
}
range_md5() {  # DUMP NAME
  local start size
  read -r start size < <(partition_range "$1" "$2")
  dd_range "$1" "$start" "$size" | md5sum | cut -d' ' -f1
}
# The table's first line (gpt-list's facts).
facts_of() { head -1 "$1/fw/partitions.tsv"; }

@test "gpt-list: the key partition from the vendor fstab inside super (super/vendor_a:/etc/fstab.mt6768)" {
  run facts_of "$FS"
  assert_output --partial " metadata=metadata metadata_source=fstab:super/vendor_a:/etc/fstab.mt6768 userdata_encryption=metadata"
  run gpt-list "$FS/User"
  assert_output --partial "Userdata key: metadata, metadata encryption (fstab:super/vendor_a:/etc/fstab.mt6768)"
}

@test "gpt-list: without a vendor fstab, md_udc by rule for an f2fs userdata (the layout has metadata too)" {
  run facts_of "$RULE"
  assert_output --partial " metadata=md_udc metadata_source=rule"
  refute_output --partial userdata_encryption=
}

@test "gpt-list: the MT6752 sample (it has metadata) names no key: ext4 userdata, nor unreadable userdata" {
  local start
  mksample --system-size 48 --userdata-size 64 --system-data 8 s 2>/dev/null
  run gpt-list --tsv s/User
  assert_success
  assert_output --partial $'\tmetadata\t'
  refute_line --index 0 --partial metadata
  # Its superblock replaced by random bytes: no file system, and still no rule.
  read -r start _ < <(partition_range s/User userdata)
  head -c 1024 /dev/urandom | dd of=s/User bs=1 seek=$(( start + 1024 )) conv=notrunc status=none
  run gpt-list --tsv s/User
  assert_output --regexp $'\tuserdata\t[0-9]+\t[0-9]+\tunknown\t'
  refute_line --index 0 --partial metadata
}

@test "userdata.img: sparse f2fs, EXT4_IMG row; simg2img passes fsck.f2fs; dump.f2fs's valid blocks equal the dump" {
  local dir start size
  for dir in "$FS" "$RULE"; do
    run row_of "$dir/fw/MT6768_Android_scatter.txt" userdata
    assert_output $'userdata\tuserdata.img\ttrue\tEXT4_IMG'
    assert_equal "$(od -An -tx4 -N4 "$dir/fw/userdata.img" | tr -d ' ')" ed26ff3a
    read -r start size < <(partition_range "$dir/User" userdata)
    [ "$(stat -c %s "$dir/fw/userdata.img")" -lt $(( size / 2 )) ]
    dd_range "$dir/User" "$start" "$size" > part.img
    simg2img "$dir/fw/userdata.img" expanded.img
    assert_equal "$(stat -c %s expanded.img)" "$size"
    run fsck.f2fs --dry-run expanded.img
    assert_success
    # Written blocks equal the dump's, valid ones all written, invalid main-area ones absent.
    run f2fs_oracle part.img "$dir/fw/userdata.img"
    assert_success
    assert_output --regexp '^valid=[0-9]+$'
  done
}

@test "the key partition goes with userdata: fstab's metadata, else md_udc; its image, row and Checksum.ini line" {
  local dir key other
  for dir in "$FS" "$RULE"; do
    if [ "$dir" = "$FS" ]; then key=metadata other=md_udc; else key=md_udc other=metadata; fi
    run row_of "$dir/fw/MT6768_Android_scatter.txt" "$key"
    assert_output "$key"$'\t'"$key.img"$'\ttrue\tNORMAL_ROM'
    run row_of "$dir/fw/MT6768_Android_scatter.txt" "$other"
    assert_output "$other"$'\tNONE\tfalse\tNORMAL_ROM'
    assert_equal "$(md5sum < "$dir/fw/$key.img" | cut -d' ' -f1)" "$(range_md5 "$dir/User" "$key")"
    assert_file_not_exists "$dir/fw/$other.img"
    run grep -c "^$key=" <(tr -d '\r' < "$dir/fw/Checksum.ini")
    assert_output 1
    run fw-checksum -c "$dir/fw/Checksum.ini" "$dir/fw/MT6768_Android_scatter.txt"
    assert_success
  done
}

@test "--file-names stock: the key added for userdata stays downloaded through the --own-file run (lk2 differs)" {
  # step_scatter runs scatter-gen again with --own-file when a stock pair's bytes differ; that run
  # must keep the --download the key was added to, or the scatter drops md_udc while report.txt
  # says it goes with userdata.
  modern_readback own --userdata "$RULE/userdata.f2fs" --key md_udc,metadata --lk2-differs
  run readback2fw -q --platform MT6768 --file-names stock own/Boot1 own/User fw
  assert_success
  run row_of fw/MT6768_Android_scatter.txt lk2
  assert_output $'lk2\tlk2.img\ttrue\tNORMAL_ROM'
  run row_of fw/MT6768_Android_scatter.txt md_udc
  assert_output $'md_udc\tmd_udc.img\ttrue\tNORMAL_ROM'
  assert_equal "$(md5sum < fw/md_udc.img | cut -d' ' -f1)" "$(range_md5 own/User md_udc)"
  run grep -c '^md_udc=' <(tr -d '\r' < fw/Checksum.ini)
  assert_output 1
}

@test "report.txt: userdata encrypted, readable only on this phone with its key partition, Format All erases both" {
  run cat "$FS/fw/report.txt"
  assert_line "userdata's encryption (from the fstab super/vendor_a:/etc/fstab.mt6768):"
  assert_line "  userdata is encrypted (metadata encryption: its key is in metadata)"
  assert_line "  metadata is downloaded with userdata (metadata.img): userdata comes back readable only on this same"
  assert_line "  phone, with its metadata; on another phone, or without metadata, it is random bytes"
  assert_line "  Format All + Download erases both userdata and metadata before writing them"
  assert_line --regexp '^  userdata.img +[0-9]+ +[0-9]+  sparse f2fs image of userdata$'
  assert_output --partial "(f2fs: every valid block by its checkpoint's SIT"
  run cat "$RULE/fw/report.txt"
  assert_line "userdata's encryption (no vendor fstab was read: by rule, for an f2fs userdata, the partition MediaTek mounts at /metadata (md_udc where the layout has it, else metadata)):"
  assert_line "  userdata is taken to be encrypted (metadata encryption: its key in md_udc)"
  assert_line "  Format All + Download erases both userdata and md_udc before writing them"
}

@test "--skip userdata leaves both out: no image, rows NONE, no Checksum.ini line, no encryption note" {
  run readback2fw -q --platform MT6768 --skip userdata "$FS/Boot1" "$FS/User" fw
  assert_success
  run row_of fw/MT6768_Android_scatter.txt userdata
  assert_output $'userdata\tNONE\tfalse\tEXT4_IMG'
  run row_of fw/MT6768_Android_scatter.txt metadata
  assert_output $'metadata\tNONE\tfalse\tNORMAL_ROM'
  assert_file_not_exists fw/userdata.img
  assert_file_not_exists fw/metadata.img
  run grep -E '^(userdata|metadata)=' fw/Checksum.ini
  assert_failure
  run cat fw/report.txt
  refute_output --partial "userdata's encryption"
  assert_line --regexp '^  userdata +UPDATE \(skipped: --skip / SKIP=\)$'
  assert_line --regexp '^  metadata +INVISIBLE$'
}

@test "--skip of the key alone: userdata is downloaded, the report warns it comes back without its key" {
  run readback2fw -q --platform MT6768 --skip md_udc "$RULE/Boot1" "$RULE/User" fw
  assert_success
  assert_file_exists fw/userdata.img
  assert_file_not_exists fw/md_udc.img
  run cat fw/report.txt
  assert_line "  WARNING: md_udc is not downloaded (--skip md_udc): userdata is restored without its key and"
}

@test "readback.mk gives the same folder, the key partition included" {
  run make -s -f "$MTKFW_ROOT/scripts/readback.mk" BOOT1="$FS/Boot1" USER="$FS/User" OUT=mk PLATFORM=MT6768 -j2
  assert_success
  local f
  for f in MT6768_Android_scatter.txt userdata.img metadata.img Checksum.ini report.txt; do
    cmp "mk/$f" "$FS/fw/$f"
  done
  diff <(ls mk) <(ls "$FS/fw")
}

@test "the space check bounds userdata.img by the f2fs's valid blocks, not its partition size" {
  local start size bound
  read -r start size < <(partition_range "$FS/User" userdata)
  bound=$(USER=$FS/User && source "$MTKFW_ROOT/scripts/readback-steps.bash" &&
          source "$MTKFW_ROOT/scripts/readback-outdir.bash" && sparse_bound "$start" "$size")
  [ "$bound" -lt "$size" ] || fail "bound $bound is not below the partition's $size bytes"
  [ "$bound" -ge "$(stat -c %s "$FS/fw/userdata.img")" ] || fail "bound $bound below the image's $(stat -c %s "$FS/fw/userdata.img") bytes"
  # A room of less than the bound stops the run before any image is written (exit 3).
  [ "$(id -u)" = 0 ] || skip "a small tmpfs needs root"
  mkdir small && mount -t tmpfs -o size=$(( bound / 2 )) tmpfs small || skip "cannot mount a tmpfs"
  run readback2fw -q --platform MT6768 "$FS/Boot1" "$FS/User" small/fw
  umount small
  assert_failure 3
  assert_output --partial "No space left on device: the run needs"
}
