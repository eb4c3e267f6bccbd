# Golden outputs: tests/expected/<tool>/<case>.stdout, .stderr and .exit, the byte-for-byte
# contracts of the tools checked from a bare clone.  This file holds the fixtures they come from
# and the command of every case; tests/golden.bats compares, tests/expected/regenerate rewrites.
#
# Every fixture is the same bytes on every run: sgdisk and mke2fs are the pinned wrappers of
# tests/lib/pinned (fixed GUIDs, UUIDs, hash seeds, E2FSPROGS_FAKE_TIME), files copied into file
# systems carry SOURCE_DATE_EPOCH as their times, other bytes come from fixed seeds.
# Needs MTKFW_ROOT, tests/fixtures.bash and the tool folder on PATH (tests/test_helper.bash).

source "$MTKFW_ROOT/tests/lib/scatter-gen.bash"   # p70a_dump, scatter_fields
source "$MTKFW_ROOT/tests/lib/bl-strip.bash"      # boot1_image
source "$MTKFW_ROOT/tests/lib/fw-checksum.bash"   # fwck_scatter

# shellcheck disable=SC2034  # read by tests/golden.bats and tests/expected/regenerate
GOLDEN_EXPECTED=$MTKFW_ROOT/tests/expected
export SOURCE_DATE_EPOCH=1500000000

# Seeded bytes: SEED BYTES (AES-CTR keystream, as scripts/mksample makes its own).
golden_bytes() {
  openssl enc -aes-128-ctr -K "$(printf '%s' "$1" | sha256sum | cut -c1-32)" -iv 0 -nosalt \
    -in <(head -c "$2" /dev/zero) 2>/dev/null
}

# golden_user_dump FILE: mtk_dump with a boot image in boot (mkbootimg) and an ext4 system
# holding the build.prop that names MT6752 (mke2fs -d).
golden_user_dump() {
  local f=$1 tmp
  tmp=$(mktemp -d)
  mtk_dump "$f"
  golden_bytes kernel 100000 > "$tmp/kernel"
  golden_bytes ramdisk 30000 > "$tmp/ramdisk"
  mkbootimg --kernel "$tmp/kernel" --ramdisk "$tmp/ramdisk" --pagesize 2048 -o "$tmp/boot.img"
  dd if="$tmp/boot.img" of="$f" bs=512 seek=5376 conv=notrunc status=none
  mkdir "$tmp/system"
  printf 'ro.build.id=GOLDEN\nro.mediatek.platform=MT6752\n' > "$tmp/system/build.prop"
  touch -d "@$SOURCE_DATE_EPOCH" "$tmp/system/build.prop" "$tmp/system"
  mke2fs -q -F -t ext4 -b 4096 -O ^has_journal -L system -E "offset=$((16384 * 512)),root_owner=0:0" \
    -d "$tmp/system" "$f" 5120
  rm -rf "$tmp"
}

# golden_firmware DIR: a firmware folder for fw-checksum: scatter, three images (one of them
# shared by two rows), a Checksum.ini with one wrong sum, and a scatter naming a missing image.
golden_firmware() {
  local d=$1
  mkdir -p "$d"
  golden_bytes lk 200000 > "$d/lk.bin"
  golden_bytes boot 300001 > "$d/boot.img"
  golden_bytes tee 70000 > "$d/tee.img"
  fwck_scatter "$d/MT6752_Android_scatter.txt" nvram:NONE:false lk:lk.bin:true boot:boot.img:true \
    tee1:tee.img:true tee2:tee.img:true
  fwck_scatter "$d/missing_scatter.txt" lk:lk.bin:true recovery:recovery.img:true logo:logo.bin:true
  fw-checksum -o "$d/Checksum.ini" "$d/MT6752_Android_scatter.txt"
  sed 's/^boot=0x..../boot=0x1234/' "$d/Checksum.ini" > "$d/wrong.ini"
}

# golden_fixtures DIR: every input the cases read, built in DIR.
golden_fixtures() {
  local d=$1
  mkdir -p "$d"
  (
    cd "$d" || exit 1
    export PATH="$MTKFW_ROOT/tests/lib/pinned:$PATH"
    golden_user_dump User
    head -c $((40 << 20)) User > Cut                          # ends inside userdata
    cp User PrimaryBad && flip_byte PrimaryBad $((512 + 0x10))  # primary header CRC
    cp PrimaryBad BothBad && flip_byte BothBad $(( (64 << 20) - 524288 + 32 * 512 + 0x10 ))  # backup's
    gpt-list --tsv User > User.tsv 2>/dev/null
    p70a_dump P70A
    "$MTKFW_ROOT/scripts/mksample" sample
    boot1_image Boot1 preloader.bin
    head -c 8192 Boot1 > Boot1.cut
    golden_firmware fw
  )
}

# The cases: NAME<TAB>COMMAND, run by bash in the fixture folder; NAME is tool/case.
golden_cases() {
  cat <<'CASES'
gpt-list/table	gpt-list User
gpt-list/tsv	gpt-list --tsv User
gpt-list/json	gpt-list --json User
gpt-list/backup-used	gpt-list --tsv PrimaryBad
gpt-list/truncated	gpt-list Cut
gpt-list/bad-crc	gpt-list BothBad
gpt-list/bad-sector-size	gpt-list --sector-size 1024 User
part-cut/unknown-name	part-cut User sytem
part-cut/bad-number	part-cut --offset 12x --size 1M User
part-cut/missing-dump	part-cut NoSuchDump boot
part-cut/past-the-end	part-cut Cut userdata
scatter-gen/mtk-dump	scatter-gen --project golden User.tsv
scatter-gen/sample	bl-strip -q -o preloader_sample6752.bin sample/Boot1 && gpt-list --tsv sample/User 2>/dev/null | scatter-gen -q --platform MT6752 --project sample6752 --preloader preloader_sample6752.bin
scatter-gen/p70a	gpt-list --tsv P70A 2>/dev/null | scatter-gen --platform MT6752 --project p70a
scatter-gen/bad-device-size	scatter-gen --platform MT6752 --project golden --device-size 12Q User.tsv
scatter-gen/unknown-download	scatter-gen --platform MT6752 --project golden --download sytem User.tsv
fw-checksum/v1	fw-checksum fw/MT6752_Android_scatter.txt
fw-checksum/md5	fw-checksum --md5 fw/MT6752_Android_scatter.txt
fw-checksum/check-ok	fw-checksum -c fw/Checksum.ini fw/MT6752_Android_scatter.txt
fw-checksum/check-failed	fw-checksum -c fw/wrong.ini fw/MT6752_Android_scatter.txt
fw-checksum/missing-image	fw-checksum fw/missing_scatter.txt
bl-strip/info	bl-strip --info Boot1
bl-strip/json	bl-strip --json Boot1
bl-strip/truncated	bl-strip Boot1.cut
ext4-sparse/info	ext4-sparse --offset 8M --size 20M --info -o /dev/null User
ext4-sparse/not-ext4	ext4-sparse --offset 0x2a0000 --size 2M -o /dev/null User
CASES
}

# golden_run DIR NAME COMMAND OUT: runs one case in fixture folder DIR, writes OUT/NAME.stdout,
# .stderr and .exit.
golden_run() {
  local dir=$1 name=$2 cmd=$3 out=$4 status=0
  mkdir -p "$out/$(dirname "$name")"
  (cd "$dir" && LC_ALL=C bash -c "$cmd") > "$out/$name.stdout" 2> "$out/$name.stderr" || status=$?
  echo "$status" > "$out/$name.exit"
}

# golden_run_all DIR OUT [TOOL]: every case (of TOOL) into OUT.
golden_run_all() {
  local dir=$1 out=$2 tool=${3:-} name cmd
  while IFS=$'\t' read -r name cmd; do
    [ -z "$tool" ] || [ "${name%%/*}" = "$tool" ] || continue
    golden_run "$dir" "$name" "$cmd" "$out"
  done < <(golden_cases)
}
