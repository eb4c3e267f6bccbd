#!/usr/bin/env bats
# LP metadata (super): gpt-list's content and --lp listing checked against AOSP lpdump, part-cut
# of every logical partition against lpunpack's file, on supers made by lpmake/lpadd
# (tests/lib/super.bash) alone and inside a GPT dump; and supers damaged one field at a time
# (tests/lib/lp-edit.py recomputes the SHA-256s, so only the check under test can catch the lie).

load test_helper
source "$MTKFW_ROOT/tests/lib/super.bash"

KINDS="vab nonab multi tail"

setup_file() {
  load test_helper
  source "$MTKFW_ROOT/tests/lib/super.bash"
  need_lp_peers
  local k
  for k in $KINDS; do
    super_fixture "$k" "$BATS_FILE_TMPDIR/$k.img"
    dump_with_super "$BATS_FILE_TMPDIR/$k.img" "$BATS_FILE_TMPDIR/$k.dump"
    mkdir -p "$BATS_FILE_TMPDIR/$k.unpacked"
    "$LP_BIN/lpunpack" "$BATS_FILE_TMPDIR/$k.img" "$BATS_FILE_TMPDIR/$k.unpacked" >/dev/null 2>&1
  done
}

setup() {
  need_lp_peers
  F=$BATS_FILE_TMPDIR
  T=$BATS_TEST_TMPDIR
}

# lpdump's slot-0 facts: "VERSION SLOTS PARTITIONS".
lpdump_summary() {  # SUPER
  "$LP_BIN/lpdump" "$1" 2>/dev/null | awk '
    /^Slot 1:/ {exit}
    /^Metadata version:/ {v = $3}
    /^Metadata slot count:/ {s = $4}
    /^  Name: / && table {n++}
    /^Partition table:/ {table = 1}
    /^Super partition layout:/ {table = 0}
    END {print v, s, n}'
}

# lpdump's slot-0 extents: "NAME START+COUNT,..." per partition with extents, sorted.
lpdump_extents() {  # SUPER
  "$LP_BIN/lpdump" "$1" 2>/dev/null | awk '
    /^Slot 1:/ {exit}
    /^Super partition layout:/ {exit}
    /^  Name: / {name = $2; next}
    /^    [0-9]+ \.\. [0-9]+ linear / {e[name] = e[name] (e[name] == "" ? "" : ",") $6 "+" ($3 - $1 + 1)}
    END {for (n in e) print n, e[n]}' | sort
}

# gpt-list --lp --tsv's slot-0 extents in the same form.
our_extents() {  # INPUT
  gpt-list --lp --tsv "$1" | awk -F'\t' 'NR > 2 && $7 != "-" && ("," $2 ",") ~ /,0,/ {print $3, $7}' | sort
}

# Both tools refuse INPUT: exit 1, "TOOL: error: INPUT...: WHY" holding FRAGMENT, and part-cut
# -o writes nothing.
refused() {  # INPUT NAME FRAGMENT
  run gpt-list --lp "$1"
  assert_failure 1
  assert_output --partial "gpt-list: error: $1"
  assert_output --partial "$3"
  run part-cut -o "$T/out" "$1" "$2"
  assert_failure 1
  assert_output --partial "part-cut: error: $1"
  assert_output --partial "$3"
  assert_file_not_exists "$T/out"
}

# The sector count of super, for edits at its end.
sectors_of() { echo $(( $(stat -c %s "$1") / 512 )); }

@test "gpt-list names super's content as lpdump describes it (every kind)" {
  local k v s n
  for k in $KINDS; do
    read -r v s n < <(lpdump_summary "$F/$k.img")
    [ -n "$n" ]
    run gpt-list --tsv "$F/$k.dump"
    assert_success
    assert_line --regexp "^2	super	2097152	[0-9]+	lp	LP $v, $s slots, $n partitions	"
    run gpt-list "$F/$k.dump"
    assert_success
    assert_line --partial "lp(LP $v, $s slots, $n partitions)  super"
    run gpt-list --json "$F/$k.dump"
    assert_success
    [ "$(jq -r '.partitiontable.partitions[] | select(.name == "super") | .content + "|" + .label' <<<"$output")" = "lp|LP $v, $s slots, $n partitions" ]
  done
}

@test "the A/B virtual-A/B super is 10.2 with 3 slots; non-A/B 10.0 with 2" {
  run gpt-list --tsv "$F/vab.dump"
  assert_line --partial "lp	LP 10.2, 3 slots, 6 partitions"
  run gpt-list --tsv "$F/nonab.dump"
  assert_line --partial "lp	LP 10.0, 2 slots, 2 partitions"
}

@test "gpt-list --lp --json agrees with lpdump -j (names, groups, sizes) and lpdump (extents)" {
  local k input
  for k in $KINDS; do
    "$LP_BIN/lpdump" -j "$F/$k.img" 2>/dev/null |
      jq -S '[.partitions[] | {name, group: .group_name, size: ((.size // "0") | tonumber)}] | sort_by(.name)' > "$T/want"
    for input in "$F/$k.img" "$F/$k.dump"; do
      gpt-list --lp --json "$input" |
        jq -S '[.supers[0].logical[] | select(.slots | index(0)) | {name, group, size}] | sort_by(.name)' > "$T/got"
      diff "$T/want" "$T/got"
      [ "$(jq length "$T/got")" -ge 2 ]
      diff <(lpdump_extents "$F/$k.img") <(our_extents "$input")
    done
  done
}

@test "the multi super's vendor has two extents, listed in order by gpt-list --lp" {
  [ "$(lp_extent_count "$F/multi.img" vendor)" -ge 2 ]
  run gpt-list --lp --json "$F/multi.dump"
  assert_success
  [ "$(jq '.supers[0].logical[] | select(.name == "vendor") | .extents | length' <<<"$output")" -ge 2 ]
  # The offsets in the dump: super's start plus the sectors.
  [ "$(jq '.supers[0].logical[] | select(.name == "vendor") | .extents[0].offset - .extents[0].begin_sector * 512' <<<"$output")" = 2097152 ]
}

@test "gpt-list --lp names the content of every logical partition" {
  run gpt-list --lp --tsv "$F/vab.img"
  assert_success
  assert_line --regexp "^vab.img	0,1,2	system_a	main_a	readonly	25165824	2048\+49152	ext4	"
  assert_line --regexp "	product_a	main_a	readonly	[0-9]+	[0-9+]+	erofs	"
  assert_line --regexp "	system_b	main_b	readonly	0	-	empty	"
  run gpt-list --lp "$F/nonab.dump"
  assert_success
  assert_line --partial "super: LP 10.0, 2 slots, 2 partitions"
  assert_line --regexp "^  0,1 +vendor +main +readonly +[0-9]+B +[0-9+]+ +erofs"
}

@test "part-cut of every logical partition equals lpunpack's file (super image and dump)" {
  local k f name n=0
  for k in $KINDS; do
    for f in "$F/$k.unpacked"/*.img; do
      name=$(basename "$f" .img)
      for input in "$F/$k.img" "$F/$k.dump"; do
        run part-cut -o "$T/$name.cut" "$input" "$name"
        assert_success
        cmp "$f" "$T/$name.cut"
        n=$((n + 1))
      done
    done
  done
  [ "$n" -ge 20 ]
}

@test "part-cut: a GPT name still cuts the GPT partition; SUPER/NAME chooses inside super" {
  run part-cut -o "$T/boot" "$F/vab.dump" boot_a
  assert_success
  cmp "$T/boot" <(dd if="$F/vab.dump" bs=1M skip=1 count=1 status=none)
  run part-cut -o "$T/v" "$F/vab.dump" super/vendor_a
  assert_success
  cmp "$T/v" "$F/vab.unpacked/vendor_a.img"
}

@test "part-cut: a name in the GPT and in super is an error listing both" {
  cp "$F/nonab.img" "$T/s.img"
  dump_with_super "$T/s.img" "$T/d"
  sgdisk -c 1:vendor "$T/d" >/dev/null
  run part-cut -o "$T/out" "$T/d" vendor
  assert_failure 2
  assert_output --regexp "^part-cut: error: .*d: \"vendor\" names more than one partition: GPT partition 1, logical partition of super"
  assert_file_not_exists "$T/out"
}

@test "part-cut: a name in two supers is an error listing both; SUPER/NAME picks one" {
  local mib=$((1 << 20)) s
  s=$(stat -c %s "$F/nonab.img")
  truncate -s $((2 * mib + 2 * s + mib)) "$T/d"
  sgdisk -n "1:2048:+$((s / 512))" -c 1:super -n "2:$(((mib + s) / 512)):+$((s / 512))" -c 2:super2 "$T/d" >/dev/null
  dd if="$F/nonab.img" of="$T/d" bs=1M seek=1 conv=notrunc,sparse status=none
  dd if="$F/nonab.img" of="$T/d" bs=1M seek=$(((mib + s) / mib)) conv=notrunc,sparse status=none
  run gpt-list --lp --tsv "$T/d"
  assert_success
  [ "$(grep -c '	system	' <<<"$output")" = 2 ]
  run part-cut -o "$T/out" "$T/d" system
  assert_failure 2
  assert_output --partial '"system" names more than one partition: logical partition of super (say "super/system"), logical partition of super2 (say "super2/system")'
  assert_file_not_exists "$T/out"
  run part-cut -v -o "$T/out" "$T/d" super2/system
  assert_success
  assert_output --partial "partition super2/system: 20971520 bytes in 1 piece"
  assert_output --partial "from offset $((mib + s + mib)) "
  cmp "$T/out" "$F/nonab.unpacked/system.img"
}

@test "part-cut: an unknown name lists the logical partitions too" {
  run part-cut -o "$T/out" "$F/nonab.dump" sytem
  assert_failure 2
  assert_output --partial 'no partition named "sytem"; did you mean "system"? The partitions are: boot_a, super, userdata, system, vendor'
  run part-cut -o "$T/out" "$F/nonab.img" sytem
  assert_failure 2
  assert_output --partial 'no logical partition named "sytem"; did you mean "system"?'
  assert_file_not_exists "$T/out"
}

@test "gpt-list --lp needs a seekable input" {
  run bash -c "cat '$F/vab.dump' | gpt-list --lp"
  assert_failure 2
  assert_output --partial "gpt-list: error: standard input: --lp reads super's metadata where the GPT puts it: give a file or a device, not a pipe"
}

@test "gpt-list on a bare super without --lp says what it is" {
  run gpt-list "$F/nonab.img"
  assert_failure 1
  assert_output --partial "a super image (LP metadata), not a dump with a GPT: list its logical partitions with --lp"
}

@test "slots that disagree (mid-update): a row per version; part-cut takes slot 0's, with a warning" {
  cp "$F/nonab.img" "$T/s.img"
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$T/s.img" --slot 1 extent 1 target_data=60000
  run gpt-list --lp --tsv "$T/s.img"
  assert_success
  assert_line --regexp "^s.img	0	vendor	main	readonly	[0-9]+	43008\+6144	erofs	"
  assert_line --regexp "^s.img	1	vendor	main	readonly	[0-9]+	60000\+6144	"
  assert_line --regexp "^s.img	0,1	system	"
  run --separate-stderr part-cut -o "$T/v" "$T/s.img" vendor
  assert_success
  [[ $stderr == *'slot 1 lists "vendor" with other extents than slot 0: the extents of slot 0 are used'* ]]
  cmp "$T/v" "$F/nonab.unpacked/vendor.img"
}

@test "a super past 4 GiB in a dump: listed and cut at 64-bit offsets" {
  local s start=$(((5 << 30) / 512))
  s=$(stat -c %s "$F/multi.img")
  truncate -s $((5 * (1 << 30) + s + (1 << 20))) "$T/d"
  sgdisk -n 1:2048:+2048 -c 1:boot_a -n "2:$start:+$((s / 512))" -c 2:super "$T/d" >/dev/null
  dd if="$F/multi.img" of="$T/d" bs=1M seek=$((5 << 10)) conv=notrunc,sparse status=none
  run gpt-list --lp --json "$T/d"
  assert_success
  [ "$(jq '.supers[0].offset' <<<"$output")" = $((5 << 30)) ]
  [ "$(jq '.supers[0].logical[] | select(.name == "vendor") | .extents[1].offset' <<<"$output")" -gt $((5 << 30)) ]
  run part-cut -o "$T/v" "$T/d" vendor
  assert_success
  cmp "$T/v" "$F/multi.unpacked/vendor.img"
}

# --- damaged supers -----------------------------------------------------------------------------

@test "damaged primary geometry: the backup is used, with a notice" {
  cp "$F/vab.img" "$T/s.img"
  poke "$T/s.img" $((0x1000 + 20)) 00000000
  run --separate-stderr gpt-list --lp --tsv "$T/s.img"
  assert_success
  [[ $stderr == *"primary LP geometry unusable (geometry at 0x1000: LP geometry SHA-256 mismatch (damaged)): the backup copy is used"* ]]
  diff <(gpt-list --lp --tsv "$F/vab.img" | sed 1,2d | cut -f2-) <(sed 1,2d <<<"$output" | cut -f2-)
  run part-cut -o "$T/sys" "$T/s.img" system_a
  assert_success
  cmp "$T/sys" "$F/vab.unpacked/system_a.img"
}

@test "damaged slot-0 primary metadata: its backup is used, with a notice" {
  cp "$F/nonab.img" "$T/s.img"
  poke "$T/s.img" $((0x3000 + 20)) 58585858
  dump_with_super "$T/s.img" "$T/d"
  run --separate-stderr gpt-list --lp --json "$T/d"
  assert_success
  [[ $stderr == *"primary LP metadata of slot 0 unusable (metadata at 0x3000: LP metadata header SHA-256 mismatch (damaged)): the backup copy is used"* ]]
  [ "$(jq -c '.supers[0].slots_from_backup' <<<"$output")" = "[true,false]" ]
  run part-cut -o "$T/v" "$T/d" vendor
  assert_success
  cmp "$T/v" "$F/nonab.unpacked/vendor.img"
  # gpt-list's GPT listing says it too.
  run --separate-stderr gpt-list "$T/d"
  assert_success
  [[ $stderr == *"gpt-list: warning: "*"primary LP metadata of slot 0 unusable"* ]]
}

@test "both copies of a slot damaged: an error naming both, exit 1, nothing written" {
  cp "$F/nonab.img" "$T/s.img"
  # nonab: 2 slots of 64 KiB: slot 0's backup at 0x3000 + 2 * 0x10000.
  poke "$T/s.img" $((0x3000 + 20)) 58585858
  poke "$T/s.img" $((0x3000 + 0x20000 + 20)) 58585858
  run ! "$LP_BIN/lpdump" "$T/s.img"
  refused "$T/s.img" system "both copies of the LP metadata of slot 0 are unusable: primary: metadata at 0x3000: LP metadata header SHA-256 mismatch (damaged); backup: metadata at 0x23000: "
  # In a dump, gpt-list still lists the GPT, with the super's content named damaged.
  dump_with_super "$T/s.img" "$T/d"
  run --separate-stderr gpt-list --tsv "$T/d"
  assert_success
  assert_line --partial "lp	damaged LP metadata"
  [[ $stderr == *"gpt-list: warning: "*"both copies of the LP metadata of slot 0 are unusable"* ]]
  # The GPT's own partitions are still cut; a logical one is the error.
  run part-cut -o "$T/boot" "$T/d" boot_a
  assert_success
  run part-cut -o "$T/out" "$T/d" system
  assert_failure 1
  assert_file_not_exists "$T/out"
}

@test "both geometries damaged: an error" {
  cp "$F/nonab.img" "$T/s.img"
  poke "$T/s.img" $((0x1000 + 44)) 58585858
  poke "$T/s.img" $((0x2000 + 44)) 58585858
  dump_with_super "$T/s.img" "$T/d"
  refused "$T/d" system "super at 0x200000: both copies of the LP geometry are unusable: primary: geometry at 0x1000: LP geometry SHA-256 mismatch"
}

@test "a lying table count (SHA-256 recomputed) is caught by the bound check" {
  cp "$F/vab.img" "$T/s.img"
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$T/s.img" header partitions.num_entries=1000
  run ! "$LP_BIN/lpdump" "$T/s.img"
  run gpt-list --lp "$T/s.img"
  assert_failure 1
  assert_output --regexp "^gpt-list: error: .*s.img: both copies of the LP metadata of slot 0 are unusable: primary: metadata at 0x3000: partition table \(offset 0, 1000 entries of 52 bytes\) past tables_size [0-9]+;"
  cp "$F/vab.img" "$T/s.img"
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$T/s.img" header tables_size=0x100000
  refused "$T/s.img" system_a "LP tables_size 1048576 past the metadata copy"
  cp "$F/vab.img" "$T/s.img"
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$T/s.img" partition vendor_a num_extents=50
  refused "$T/s.img" vendor_a "partition 2 (vendor_a): extents 1+50 past the extent table"
}

@test "an extent past the partition is an error" {
  local n
  cp "$F/nonab.img" "$T/s.img"
  n=$(sectors_of "$T/s.img")
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$T/s.img" extent 1 target_data=$((n - 100))
  refused "$T/s.img" vendor "s.img: slot 0: partition vendor extent 0 (sectors $((n - 100))+6144) outside super's data area"
  # In a dump the partition's own size is the bound: a GPT super cut shorter than the metadata says.
  dump_with_super "$F/nonab.img" "$T/d"
  sgdisk -d 2 -n "2:4096:+$(( $(sectors_of "$F/nonab.img") / 4 ))" -c 2:super "$T/d" >/dev/null
  refused "$T/d" system "outside super's data area"
}

@test "overlapping extents are an error" {
  cp "$F/nonab.img" "$T/s.img"
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$T/s.img" extent 1 target_data=4096
  refused "$T/s.img" vendor "s.img: slot 0: extents of system and vendor overlap at sector 4096"
  run gpt-list --lp "$T/s.img"
  assert_output --regexp "^gpt-list: error: .*s.img: slot 0: extents of system and vendor overlap at sector 4096$"
}

@test "unknown flags and attributes are notices, the listing goes on" {
  cp "$F/vab.img" "$T/s.img"
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$T/s.img" partition system_a attributes=0x41 header flags=0x5
  run --separate-stderr gpt-list --lp --tsv "$T/s.img"
  assert_success
  [[ $stderr == *"LP metadata slots 0,1,2: header has unknown flag bits 0x4 (ignored)"* ]]
  [[ $stderr == *"LP metadata slots 0,1,2: partition system_a has unknown flag bits 0x40 (ignored)"* ]]
  assert_line --regexp "	system_a	main_a	readonly,0x40	"
}

@test "a sparse super is said as such, not mistaken for raw bytes" {
  img2simg "$F/nonab.img" "$T/s.simg"
  run gpt-list "$T/s.simg"
  assert_failure 1
  assert_output --regexp "^gpt-list: error: .*s.simg: an Android sparse image, not a raw super: expand it first \(ext4-sparse -d\)$"
  refused "$T/s.simg" system "an Android sparse image, not a raw super"
}
