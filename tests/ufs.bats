#!/usr/bin/env bats
# UFS readbacks (MODERN.md 3): LU2 with a 4096-byte-sector GPT made by sfdisk on a `losetup -b 4096`
# loop device (sfdisk -J of that device is the oracle), LU0/LU1 with a UFS_BOOT header and the GFH
# at 0x1000 (tests/lib/boot1-image.py); and how readback2fw tells the dumps apart and reconciles
# storage, slot and platform.

load test_helper
source "$MTKFW_ROOT/tests/lib/bl-strip.bash"
source "$MTKFW_ROOT/tests/lib/dumps.bash"

readonly LAYOUT=' start=256, size=256, name=proinfo
 start=512, size=256, name=misc
 start=768, size=256, name=boot_a
 start=1024, size=256, name=boot_b
 start=1280, size=4096, name=vendor
 start=5376, size=8192, name=userdata'

setup_file() {
  cd "$BATS_FILE_TMPDIR"
  ufs_lu2 LU2 "$LAYOUT" || return 0   # no loop devices: each test skips
  ab_block LU2 "$(sfdisk_start LU2.sfdisk.json misc)" mtk 6 3 1 7 3 0
  vendor_fs LU2 "$(sfdisk_start LU2.sfdisk.json vendor)" "$(sfdisk_size LU2.sfdisk.json vendor)" \
    $'ro.vendor.mediatek.platform=MT6893\nro.board.platform=mt6893'
  boot1_image LU0 LU0.preloader --storage ufs --sig-type 3 --body 40000 --name preloader_ufs_test.bin \
    --build-path /w/vendor/mediatek/proprietary/bootable/bootloader/preloader/platform/mt6893/src/core/main.c
  cp LU0 LU1
  boot1_image EMMC_BOOT1 EMMC_BOOT1.preloader --storage emmc --name preloader_ufs_test.bin \
    --build-path /w/bootloader/preloader/platform/mt6893/src/core/main.c
}

setup() {
  cd "$BATS_TEST_TMPDIR"
  D=$BATS_FILE_TMPDIR
  [ -s "$D/LU2.sfdisk.json" ] || skip "no loop devices here (losetup -b 4096)"
}

# readback2fw up to scatter-gen, which is replaced by a recorder of what the dumps told: the
# roles and the exported facts (the pipeline's own UFS steps are tested elsewhere).
told() {  # readback2fw ARGS...: prints KEY=VALUE lines of BOOT1 USER BOOT2 STORAGE SLOT PLATFORM
  fake_tool scatter-gen "case \" \$* \" in *\" --describe \"*) exec '$MTKFW_ROOT/bin/scatter-gen' \"\$@\" ;; esac
    for v in BOOT1 USER BOOT2 STORAGE SLOT PLATFORM PLATFORM_FROM; do echo \"\$v=\${!v}\"; done > '$BATS_TEST_TMPDIR/told'; exit 3"
  MTKFW_BIN=$BATS_TEST_TMPDIR/fakebin run readback2fw -q "$@"
  assert_failure 3
  cat "$BATS_TEST_TMPDIR/told"
}

@test "LU2: 4096-byte sectors, every start and size as sfdisk -J of the loop device says, storage=ufs" {
  jq -c '.partitiontable.partitions[] | [.name, .start, .size]' "$D/LU2.sfdisk.json" > expected
  gpt-list --json "$D/LU2" | jq -c '.partitiontable.partitions[] | [.name, .start, .size]' > actual
  diff expected actual
  jq -c '.partitiontable as $t | $t.partitions[] | [.name, .start * $t.sectorsize, .size * $t.sectorsize]' \
    "$D/LU2.sfdisk.json" > expected-bytes
  gpt-list -q --tsv "$D/LU2" | awk -F'\t' 'NR > 2 { printf "[\"%s\",%s,%s]\n", $2, $3, $4 }' > actual-bytes
  diff expected-bytes actual-bytes
  run gpt-list -q --tsv "$D/LU2"
  assert_line --index 0 --regexp '^# mtkfw-table 1 sector_size=4096 .* storage=ufs( |$)'
  run gpt-list -q --json "$D/LU2"
  assert_equal "$(jq -r '.partitiontable | .sectorsize, .storage' <<<"$output" | tr '\n' ' ')" "4096 ufs "
}

@test "LU2's vendor build.prop names the platform, misc's boot_ctrl the active slot" {
  run gpt-list -q --tsv "$D/LU2"
  assert_line --index 0 --regexp ' platform=MT6893 slot=b slot_source=boot_ctrl$'
}

@test "LU0: the UFS_BOOT header, the GFH at 0x1000, the preloader stripped to exactly file_len bytes" {
  bl-strip -o pl "$D/LU0"
  cmp pl "$D/LU0.preloader"
  [ "$(stat -c %s pl)" = "$(od -An -tu4 -j 32 -N 4 "$D/LU0.preloader" | tr -d ' ')" ]   # FILE_INFO file_len
  run bl-strip --info "$D/LU0"
  assert_line "header:           UFS_BOOT (storage ufs, block size 4096)"
  assert_line "storage:          ufs (device header)"
  assert_line "platform:         MT6893 (build path in the preloader)"
  assert_line --regexp '^preloader: +at 0x1000 '
  run bl-strip --range "$D/LU0"
  assert_output "4096 $(stat -c %s "$D/LU0.preloader")"
}

@test "readback2fw tells LU0, LU1, LU2 apart in any order and says ufs, the slot and the platform" {
  for order in "LU0 LU1 LU2" "LU2 LU0 LU1" "LU1 LU2 LU0"; do
    read -r -a dumps <<<"$order"
    run told "${dumps[@]/#/$D/}" out
    assert_line "USER=$D/LU2"
    assert_line "STORAGE=ufs"
    assert_line "SLOT=b"
    assert_line --regexp "^BOOT(1|2)=$D/LU[01]$"
  done
  run told "$D/LU0" "$D/LU2" out
  assert_line "BOOT1=$D/LU0"
  assert_line "BOOT2="
}

@test "a UFS LU2 with an eMMC BOOT1 is an error naming both dumps, before anything is written" {
  run --separate-stderr readback2fw -q "$D/EMMC_BOOT1" "$D/LU2" out
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: $D/LU2 is a UFS LU2 (a GPT of 4096-byte sectors) but $D/EMMC_BOOT1 holds a preloader for eMMC (its device header): the dumps are not one phone's readback
readback2fw: hint: give the dumps SP Flash Tool read back from one phone: UFS_LU0, UFS_LU1, UFS_LU2 on UFS, EMMC_BOOT1, EMMC_BOOT2, EMMC_USER on eMMC"
  assert_not_exists out
}

@test "an eMMC USER with a UFS LU0 is the same error the other way round" {
  mtk_dump User
  run --separate-stderr readback2fw -q "$D/LU0" User out
  assert_failure 1
  [[ $stderr == "readback2fw: error: User is an eMMC USER area (a GPT of 512-byte sectors) but $D/LU0 holds a preloader for UFS (its device header): "* ]]
}

@test "a raw preloader's flash_dev says its storage: 12 is UFS, 5 eMMC" {
  boot1_image raw12 raw12.pl --storage raw
  printf '\x0c' | dd of=raw12 bs=1 seek=$((0x1A)) conv=notrunc status=none   # FILE_INFO flash_dev
  run bl-strip -q --info raw12
  assert_line "storage:          ufs (flash_dev 12)"
  run bl-strip -q --json raw12
  assert_equal "$(jq -r '.storage, .storage_from' <<<"$output" | tr '\n' ' ')" "ufs flash_dev "
  run told "$D/LU2" raw12 out   # no storage conflict
  assert_line "STORAGE=ufs"
  assert_line "BOOT1=raw12"
}

@test "platform: build.prop and the preloader must agree; --platform wins; the preloader alone is enough" {
  boot1_image other other.pl --storage ufs --name preloader_ufs_test.bin \
    --build-path /w/bootloader/preloader/platform/mt6877/src/core/main.c
  run --separate-stderr readback2fw -q other "$D/LU2" out
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: the platform is unclear: build.prop in $D/LU2 says MT6893 but other's preloader was built for MT6877 (its .../preloader/platform/mt6877/ build path)
readback2fw: hint: give --platform MTxxxx: the chip printed on the phone's board or in its stock firmware's scatter file name"
  run told --platform MT6877 other "$D/LU2" out
  assert_line "PLATFORM=MT6877"
  # No build.prop: the preloader's build path says it.
  cp --sparse=always "$D/LU2" LU2
  dd if=/dev/zero of=LU2 bs=4096 seek=1280 count=16 conv=notrunc status=none   # vendor's superblock
  run told other LU2 out
  assert_line "PLATFORM=MT6877"
}

@test "no platform anywhere: an error asking for --platform" {
  boot1_image bare bare.pl --storage ufs --name preloader_ufs_test.bin
  cp --sparse=always "$D/LU2" LU2
  dd if=/dev/zero of=LU2 bs=4096 seek=1280 count=16 conv=notrunc status=none
  run --separate-stderr readback2fw -q bare LU2 out
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: cannot find the platform: no build.prop of the system or vendor partition in LU2 names it (ro.mediatek.platform, ro.vendor.mediatek.platform, ro.board.platform) and bare's preloader carries no .../preloader/platform/mtXXXX/ build path
readback2fw: hint: give --platform MTxxxx"
}

@test "an eMMC readback (BOOT1, BOOT2, USER in any order) says emmc and no slot" {
  mkdir s && mksample --system-size 48 --userdata-size 64 --system-data 8 s 2>/dev/null
  run told s/User s/Boot2 s/Boot1 out
  assert_line "BOOT1=s/Boot1"
  assert_line "USER=s/User"
  assert_line "STORAGE=emmc"
  assert_line "SLOT="
  assert_line "PLATFORM=MT6752"
}
