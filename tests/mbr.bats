#!/usr/bin/env bats
# gpt-list on legacy MT65xx dumps (MBR + EBR chain, MODERN.md 5) built from real table sectors,
# with sfdisk -J (util-linux) as the oracle for what a dos label holds.

load test_helper
source "$MTKFW_ROOT/tests/lib/legacy.bash"

setup() {
  cd "$BATS_TEST_TMPDIR"
}

# sfdisk reads one data entry per EBR (it warns "Ignoring extra data"); MediaTek writes up to three
# and Linux reads them all.  What sfdisk lists must be in our listing: the same node, start and type,
# and the same size except for the link (sfdisk: the raw 0xFFFFFFFF) and the to-the-end last entry.
sfdisk_rows() { sfdisk -J "$1" 2>/dev/null | jq -c '.partitiontable.partitions[] | [.node, .start, .size, .type]'; }
ours_row()    { gpt-list --json "$1" | jq -c --arg n "$2" '.partitiontable.partitions[] | select(.node == $n) | [.node, .start, .size, .type]'; }

@test "wiko MT6572 dump: gpt-list --json agrees with sfdisk -J, Linux numbering, the last entry runs to the end" {
  wiko_dump d
  run gpt-list --json d
  assert_success
  assert_output --partial '"label": "dos"'
  assert_output --partial '"id": "0x00000000"'
  sfdisk_rows d > sfdisk
  [ "$(wc -l < sfdisk)" -eq 5 ]   # p1-p5: sfdisk ignores EBR1's second entry
  while read -r row; do
    node=$(jq -r '.[0]' <<< "$row")
    ours=$(ours_row d "$node")
    if [ "$node" = d1 ]; then   # the link: sfdisk's raw count, ours up to the end of the dump
      [ "$(jq -c '.[0:2] + [.[3]]' <<< "$row")" = "$(jq -c '.[0:2] + [.[3]]' <<< "$ours")" ]
    else
      [ "$row" = "$ours" ]
    fi
  done < sfdisk
  # MODERN.md 5.2's worked example, byte ranges of the user area.
  gpt-list --json d | jq -r '.partitiontable.partitions[] | "\(.node) \(.table) \(.start_bytes) \(.size_bytes)"' > rows
  cat > expected <<EOT
d1 MBR $((0x80000)) $((0xE8E40000 - 0x80000))
d2 MBR $((0x900000)) $((0xA00000))
d3 MBR $((0x1300000)) $((0xA00000))
d4 MBR $((0x4F40000)) $((0x3E800000))
d5 EBR1 $((0x43740000)) $((0xE200000))
d6 EBR1 $((0x51940000)) $((0xE8E40000 - 0x51940000))
EOT
  diff expected rows
}

@test "--tsv says label=mbr and round-trips through scatter-gen's reader; the human table names the MBR" {
  wiko_dump d
  run --separate-stderr gpt-list --tsv d
  assert_success
  [[ "$stderr" == *"EBR1 slot 1 (p6) counts to the end of the user area"* ]]
  assert_line --index 0 --partial ' label=mbr'
  assert_line --index 0 --partial " readback_length=$((0xE8E40000)) "
  assert_line --index 2 --regexp $'^1\t\t524288\t'
  [ "${#lines[@]}" -eq 8 ]
  run gpt-list d
  assert_success
  assert_output --partial 'MBR at: 0x0 (MBR/EBR chain, no GPT)'
}

@test "a readback from linear 0x0 (MBR at 0xC00000) lists the same table shifted" {
  wiko_dump d
  wiko_dump lin 0xC00000
  gpt-list --json d | jq -c '.partitiontable.partitions[] | [.index, .start_bytes + 12582912, .type]' > at0
  gpt-list --json lin | jq -c '.partitiontable.partitions[] | [.index, .start_bytes, .type]' > atC
  diff at0 atC
  [ "$(gpt-list --json lin | jq .partitiontable.mbrstart)" -eq $((0xC00000 / 512)) ]
}

@test "the real EBR1 -> EBR2 chain: three data entries and a link in EBR1, links relative to EBR1" {
  xjtuecho_dump d
  gpt-list --json d | jq -r '.partitiontable.partitions[] | "\(.index) \(.table) \(.start)"' > rows
  e1=0x400 e2=$((0x400 + 0x19400))
  cat > expected <<EOT
1 MBR $((e1))
2 MBR $((0x800))
3 MBR $((0x1000))
4 MBR $((0x1800))
5 EBR1 $((e1 + 0x1E800))
6 EBR1 $((e1 + 0x17C800))
7 EBR1 $((e1 + 0x1BB800))
8 EBR2 $((e2 + 0x3A2400))
EOT
  diff expected rows
  # sfdisk's reading (first entry of each EBR) is part of ours, sizes equal but the link's and the last's.
  sfdisk -J d 2>/dev/null | jq -c '.partitiontable.partitions[] | [.start, .type]' > sf
  gpt-list --json d | jq -c '.partitiontable.partitions[] | [.start, .type]' > ours
  [ "$(wc -l < sf)" -ge 5 ]
  [ -z "$(comm -23 <(sort sf) <(sort ours))" ]
  run --separate-stderr gpt-list --json d
  [ "$(jq '.partitiontable.partitions[7].size_bytes' <<< "$output")" -eq $(( $(stat -c %s d) - (e2 + 0x3A2400) * 512 )) ]
}

@test "a damaged link is an error naming the table it should lead to and the slot holding it" {
  wiko_dump d
  poke32 d 0x1c6 0x500   # MBR slot 0 -> zeros, not EBR1
  run gpt-list d
  assert_failure
  # The MBR no longer leads to a table: the dump is not recognised as legacy at all.
  xjtuecho_dump x
  poke32 x $((0x80000 + 0x1f6)) 0x19500   # EBR1 slot 3 -> zeros beside EBR2
  run gpt-list x
  assert_failure 1
  assert_output --partial 'EBR2 at 0x3320000: no 55 AA signature at byte 510 (EBR1 slot 3 links to it: a damaged link?)'
}

@test "a link past the end of the dump is refused, naming it" {
  xjtuecho_dump d
  poke32 d $((0x80000 + 0x1f6)) 0x7fffffff
  run gpt-list d
  assert_failure 1
  assert_output --partial 'EBR2 at'
  assert_output --partial 'is past the end of the dump (EBR1 slot 3 links to it'
}

@test "a loop in the EBR chain is refused" {
  xjtuecho_dump d
  dd if=d of=ebr2 bs=512 skip=$(((0x80000 + 0x19400 * 512) / 512)) count=1 status=none
  # EBR2 links back to itself (0x19400 from EBR1): EBR2 slot 3 as a link.
  poke d $((0x80000 + 0x19400 * 512 + 0x1ee + 4)) 05
  poke32 d $((0x80000 + 0x19400 * 512 + 0x1ee + 8)) 0x19400
  poke32 d $((0x80000 + 0x19400 * 512 + 0x1ee + 12)) 0xffffffff
  run gpt-list d
  assert_failure 1
  assert_output --partial 'EBR2 slot 3 links back to the table at 0x3300000: a loop in the EBR chain'
  poke32 d $((0x80000 + 0x19400 * 512 + 0x1ee + 8)) 0   # back to EBR1
  run gpt-list d
  assert_failure 1
  assert_output --partial 'EBR2 slot 3 links back to the table at 0x80000: a loop'
}

@test "overlapping entries are refused, naming both" {
  wiko_dump d
  poke32 d $((0x1be + 32 + 8)) 0x5000   # MBR slot 2 starts inside slot 1
  run gpt-list d
  assert_failure 1
  assert_output --partial 'MBR slot 2 (p3) at 0xa00000 overlaps MBR slot 1 (p2)'
}

@test "an entry cut by the end of the dump (not the to-the-end last one) is refused" {
  wiko_dump d
  truncate -s $((0x43740000 + 0x1000)) d   # inside CACHE (p5)
  run gpt-list d
  assert_failure 1
  assert_output --partial 'EBR1 slot 0 (p5) (0x43740000 + 0xe200000) runs past the end of the dump'
}

@test "--json lists each table's offset: 512 bytes cut there (part-cut) equal the real MBR and EBR sectors" {
  ref=$(legacy_ref)
  wiko_dump d
  xjtuecho_dump x
  for dump in d x; do
    gpt-list --json "$dump" 2>/dev/null | jq -r '.partitiontable.tables[] | "\(.name) \(.start_bytes)"' > "tables-$dump"
  done
  [ "$(cat tables-d)" = "$(printf 'MBR 0\nEBR1 524288')" ]
  [ "$(cat tables-x)" = "$(printf 'MBR 0\nEBR1 524288\nEBR2 %d' $((0x80000 + 0x19400 * 512)))" ]
  while read -r name start; do
    part-cut --offset "$start" --size 512 -o "$name" d
    cmp "$name" "$ref/mbr_wiko_s4050ap/$name"
  done < tables-d
  while read -r name start; do
    [ "$name" = MBR ] && continue   # ours, not a sample
    part-cut --offset "$start" --size 512 -o "x-$name" x
    cmp "x-$name" "$ref/mbr_xjtuecho/$name"
  done < tables-x
}
