#!/usr/bin/env bats
# bl-strip against real preloaders (bkerler/mtkclient samples, see $MTKFW_REFERENCE/preloader/
# SOURCES.md).  Run by `make test-reference`; skipped when $MTKFW_REFERENCE is not there.  The
# samples are read in place, never copied.

load ../test_helper
source "$MTKFW_ROOT/tests/lib/bl-strip.bash"

setup() {
  [ -n "${MTKFW_REFERENCE:-}" ] && [ -d "$MTKFW_REFERENCE/preloader" ] ||
    skip "no reference samples (MTKFW_REFERENCE=${MTKFW_REFERENCE:-unset})"
  pl=$MTKFW_REFERENCE/preloader
  d=$BATS_TEST_TMPDIR
}

# The expected length of each sample: the file_len column of SOURCES.md.
expected_len() {  # FILE
  awk -F'|' -v f="$1" '{ gsub(/ /, "", $2); gsub(/ /, "", $5) } $2 == f { print $5 }' "$pl/SOURCES.md"
}

@test "SOURCES.md lists the three samples with their file_len" {
  assert_equal "$(expected_len preloader_a04br3.bin)" 162404
  assert_equal "$(expected_len preloader_hs03s.bin)" 245520
  assert_equal "$(expected_len preloader_a05ba.img)" 234172
}

@test "raw samples: exactly file_len bytes, identical to the stock file" {
  for f in preloader_a04br3.bin preloader_hs03s.bin; do
    bl-strip -o "$d/$f" "$pl/$f"
    assert_equal "$(stat -c %s "$d/$f")" "$(expected_len "$f")"
    cmp "$d/$f" "$pl/$f"
  done
}

@test "wrapped sample (EMMC_BOOT + BRLYT + padding): file_len bytes, equal to its raw form at 0x800" {
  bl-strip -o "$d/a05ba.bin" "$pl/preloader_a05ba.img"
  local len; len=$(expected_len preloader_a05ba.img)
  assert_equal "$(stat -c %s "$d/a05ba.bin")" "$len"
  cmp "$d/a05ba.bin" <(tail -c +$((0x800 + 1)) "$pl/preloader_a05ba.img" | head -c "$len")
  # and its raw form goes through unchanged, also through pipes
  cat "$pl/preloader_a05ba.img" | bl-strip | bl-strip | cmp - "$d/a05ba.bin"
}

@test "a raw sample wrapped in a synthetic eMMC and UFS BOOT1 header gives the raw sample back" {
  for storage in emmc ufs; do
    local off=2048; [ "$storage" = ufs ] && off=4096
    { head -c "$off" /dev/zero | tr '\0' '\377'; cat "$pl/preloader_a04br3.bin"; head -c 100000 /dev/zero; } > "$d/Boot1"
    local id=EMMC_BOOT unit=0x200; [ "$storage" = ufs ] && { id=UFS_BOOT; unit=0x1000; }
    python3 - "$d/Boot1" "$id" "$unit" "$off" <<'PY'
import struct, sys
path, ident, unit, off = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3], 0), int(sys.argv[4])
with open(path, "r+b") as f:
    f.write(ident.ljust(12, b"\0") + struct.pack("<II", 1, unit))
    f.seek(0x200)
    end = off + 162404
    f.write(b"BRLYT\0\0\0" + struct.pack("<III", 1, off, end) + b"BBBB" + struct.pack("<HHIII", 5, 1, off, end, 1))
PY
    bl-strip "$d/Boot1" | cmp - "$pl/preloader_a04br3.bin"
  done
}

@test "--json of the samples: sig_type, SHA-256 check, EMI version and stock name" {
  run bl-strip --json "$pl/preloader_a04br3.bin"
  assert_equal "$(jq -r '[.sig_type, .sha256, .bloader_info_version, .file_name, .content_offset] | join(" ")' <<< "$output")" \
    "3 ok v28 preloader_a04br3.bin 768"
  run bl-strip --json "$pl/preloader_hs03s.bin"
  assert_equal "$(jq -r '[.sig_type, .sha256, .bloader_info_version, .file_name, .content_offset, .gfh_blocks] | join(" ")' <<< "$output")" \
    "5 not present v35 preloader_hs03s.bin 240 5"
  run bl-strip --json "$pl/preloader_a05ba.img"
  assert_equal "$(jq -r '[.header, .gfh_offset, .gfh_offset_from, .sha256, .file_name] | join(" ")' <<< "$output")" \
    "EMMC_BOOT 2048 brlyt ok preloader_a05ba.bin"
  # the SHA-256 bl-strip checked is the one sha256sum computes over the bytes before the signature
  run bl-strip --json "$pl/preloader_a04br3.bin"
  assert_equal "$(jq -r .sha256_computed <<< "$output")" "$(sha256_head "$pl/preloader_a04br3.bin" $((162404 - 292)))"
}

@test "--range of the wrapped sample: the GFH range of BOOT1" {
  assert_equal "$(bl-strip --range "$pl/preloader_a05ba.img")" "2048 234172"
  assert_equal "$(bl-strip --range "$pl/preloader_hs03s.bin")" "0 245520"
}

@test "--name of the samples" {
  assert_equal "$(bl-strip --name "$pl/preloader_a05ba.img")" preloader_a05ba.bin
  assert_equal "$(bl-strip --name "$pl/preloader_hs03s.bin")" preloader_hs03s.bin
}

@test "platform from the build path: hs03s MT6765, a05ba MT8168, a04br3 none (strings(1) agrees)" {
  for f in preloader_hs03s.bin:MT6765 preloader_a05ba.img:MT8168 preloader_a04br3.bin:null; do
    name=${f%%:*} want=${f#*:}
    # The oracle: binutils strings, not our scanner.
    seen=$(strings -n 8 "$pl/$name" | grep -o '/preloader/platform/mt[0-9]\{4\}/' | sort -u | sed 's|.*/\(mt[0-9]*\)/|\1|')
    if [ "$want" = null ]; then assert_equal "$seen" ""; else assert_equal "${seen^^}" "$want"; fi
    run bl-strip -q --json "$pl/$name"
    assert_equal "$(jq -r .platform <<<"$output")" "$want"
  done
}
