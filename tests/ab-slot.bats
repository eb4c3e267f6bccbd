#!/usr/bin/env bats
# The active A/B slot gpt-list reads from misc + 2048: MediaTek's boot_ctrl (magic 0x19191100) and
# AOSP's AvbABData ("\0AB0", CRC32 big-endian), blocks built by tests/lib/ab-block.py from the
# sources' layouts (CRC by Python's zlib) in an eMMC dump partitioned by sgdisk.

load test_helper
source "$MTKFW_ROOT/tests/lib/dumps.bash"

setup() {
  cd "$BATS_TEST_TMPDIR"
  truncate -s $(( 16 << 20 )) User
  sgdisk -o -a 1 -n 1:2048:4095 -c 1:boot_a -n 2:4096:6143 -c 2:boot_b \
    -n 3:6144:8191 -c 3:misc -n 4:8192:30000 -c 4:userdata User >/dev/null
  MISC=$(( 6144 * 512 ))
}

facts() { gpt-list -q --tsv "$1" | head -1; }

@test "MediaTek boot_ctrl, slot a active: slot=a slot_source=boot_ctrl (TSV and JSON)" {
  ab_block User "$MISC" mtk 7 3 1 6 3 0
  run facts User
  assert_output --regexp ' storage=emmc slot=a slot_source=boot_ctrl$'
  run gpt-list -q --json User
  assert_equal "$(jq -r '.partitiontable | .slot, .slotsource' <<<"$output" | tr '\n' ' ')" "a boot_ctrl "
  run gpt-list User
  assert_line "Active slot: a (boot_ctrl)"
}

@test "MediaTek boot_ctrl, slot b active; an unbootable slot (priority 0) never wins; -v says why" {
  ab_block User "$MISC" mtk 5 3 1 6 2 0
  run facts User
  assert_output --regexp ' slot=b slot_source=boot_ctrl$'
  ab_block User "$MISC" mtk 0 3 1 1 0 0
  run facts User
  assert_output --regexp ' slot=b slot_source=boot_ctrl$'
  run --separate-stderr gpt-list -v --tsv User
  [[ $stderr == *"gpt-list: misc: active slot b from boot_ctrl (a: priority 0, tries 3, booted, unbootable; b: priority 1, tries 0)"* ]]
  # Equal priorities: a, as MediaTek's LK get_suffix decides.
  ab_block User "$MISC" mtk 7 3 0 7 3 1
  run facts User
  assert_output --regexp ' slot=a slot_source=boot_ctrl$'
}

@test "AOSP AvbABData: the bootable slot of higher priority; no tries and never booted is unbootable" {
  ab_block User "$MISC" avb 14 0 1 15 7 0
  run facts User
  assert_output --regexp ' slot=b slot_source=avb_ab$'
  ab_block User "$MISC" avb 14 0 1 15 0 0
  run facts User
  assert_output --regexp ' slot=a slot_source=avb_ab$'
  run gpt-list -q --json User
  assert_equal "$(jq -r '.partitiontable | .slot, .slotsource' <<<"$output" | tr '\n' ' ')" "a avb_ab "
}

@test "a damaged block (magic, CRC, major version) or no bootable slot: no slot fact, a notice with -v, success" {
  for args in "mtk 7 3 1 6 3 0 --magic 0x19191101" "avb 15 7 0 14 7 0 --bad-crc" "avb 15 7 0 14 7 0 --major 2" \
              "mtk 0 3 0 0 3 0" "avb 15 0 0 14 0 0"; do
    # shellcheck disable=SC2086  # the words are ab-block.py's arguments
    ab_block User "$MISC" $args
    run --separate-stderr gpt-list --tsv User
    assert_success
    refute_output --partial "slot="
    [ -z "$stderr" ] || { echo "said without -v: $stderr"; false; }
    run --separate-stderr gpt-list -v --tsv User
    assert_success
    [[ $stderr == *"gpt-list: misc: "*": no active slot"* ]] || { echo "$args: $stderr"; false; }
  done
  ab_block User "$MISC" avb 15 7 0 14 7 0 --bad-crc
  run --separate-stderr gpt-list -v --tsv User
  [[ $stderr == *"gpt-list: misc: AOSP AvbABData at misc+2048 is damaged: CRC32 "* ]]
  ab_block User "$MISC" mtk 0 3 0 0 3 0
  run --separate-stderr gpt-list -v --tsv User
  [[ $stderr == *"gpt-list: misc: boot_ctrl has no bootable slot ("* ]]
}

@test "an erased misc (0x00 or 0xFF) says there is no block; a table without misc says nothing" {
  run --separate-stderr gpt-list -v --tsv User
  [[ $stderr == *"misc: no boot control block at 2048"* ]]
  head -c 4096 /dev/zero | tr '\0' '\377' | dd of=User bs=1 seek="$MISC" conv=notrunc status=none
  run facts User
  refute_output --partial "slot="
  truncate -s $(( 16 << 20 )) Plain
  sgdisk -o -a 1 -n 1:2048:4095 -c 1:boot Plain >/dev/null
  run --separate-stderr gpt-list -v --tsv Plain
  [[ $stderr != *"misc"* ]]
}
