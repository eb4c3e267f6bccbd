#!/usr/bin/env bats
# bl-strip: synthetic BOOT1 readbacks (tests/lib/bl-strip.bash builds them from doc/FORMATS.md, with
# the expected preloader beside them), byte-exact output, the bad inputs of issue 4.

load test_helper
source "$MTKFW_ROOT/tests/lib/bl-strip.bash"
bats_require_minimum_version 1.5.0

setup() {
  d=$BATS_TEST_TMPDIR
}

@test "eMMC readback: exactly the preloader, nothing on stderr" {
  boot1_image "$d/Boot1" "$d/expected" --storage emmc --sig-type 1
  run --separate-stderr bl-strip -o "$d/pl.bin" "$d/Boot1"
  assert_success
  assert_equal "$stderr" ""
  cmp "$d/expected" "$d/pl.bin"
  assert_equal "$(stat -c %s "$d/Boot1")" 4194304
}

@test "UFS and COMBO readbacks (GFH at 0x1000), eMMC and SDMMC (0x800): byte-exact" {
  for storage in ufs combo emmc sdmmc; do
    boot1_image "$d/Boot1" "$d/expected" --storage "$storage" --sig-type 3 --body 54321
    bl-strip "$d/Boot1" > "$d/pl.bin"
    cmp "$d/expected" "$d/pl.bin"
  done
  run bl-strip --json "$d/Boot1"
  assert_equal "$(jq -r '.header, .storage, .gfh_offset, .gfh_offset_from' <<< "$output" | tr '\n' ' ')" "SDMMC_BOOT sdmmc 2048 brlyt "
}

@test "several file_len / sig_type combinations: exactly file_len bytes each" {
  for body in 1 4096 70001 200000; do
    for sig in 0 1 3 5; do
      boot1_image "$d/Boot1" "$d/expected" --body "$body" --sig-type "$sig" --storage ufs
      bl-strip "$d/Boot1" > "$d/pl.bin"
      cmp "$d/expected" "$d/pl.bin" || { echo "body $body sig_type $sig differs"; return 1; }
    done
  done
}

@test "a preloader that ends in 0xFF keeps them: the length comes from file_len, not padding" {
  boot1_image "$d/Boot1" "$d/expected" --sig-type 0 --name "" --tail-ff 5000
  bl-strip "$d/Boot1" > "$d/pl.bin"
  cmp "$d/expected" "$d/pl.bin"
  assert_equal "$(tail -c 5000 "$d/pl.bin" | tr -d '\377' | wc -c)" 0
}

@test "the BRLYT descriptor decides the offset, even an unusual one" {
  boot1_image "$d/Boot1" "$d/expected" --storage emmc --gfh-offset 0x3000
  bl-strip "$d/Boot1" > "$d/pl.bin"
  cmp "$d/expected" "$d/pl.bin"
  assert_equal "$(bl-strip --json "$d/Boot1" | jq .gfh_offset)" 12288
}

@test "a BRLYT at the header's block size (mtkclient's reading) is found too" {
  boot1_image "$d/Boot1" "$d/expected" --storage ufs --brlyt-at 0x1000 --gfh-offset 0x2000
  bl-strip "$d/Boot1" | cmp - "$d/expected"
  assert_equal "$(bl-strip --json "$d/Boot1" | jq -c '[.brlyt_offset, .gfh_offset]')" "[4096,8192]"
}

@test "no BRLYT: the documented default, announced as a warning; --strict refuses it" {
  boot1_image "$d/Boot1" "$d/expected" --storage ufs --no-brlyt
  run --separate-stderr bl-strip -o "$d/pl.bin" "$d/Boot1"
  assert_success
  assert_equal "$stderr" "bl-strip: warning: no BRLYT at 0x200: using the UFS_BOOT default preloader offset 0x1000"
  cmp "$d/expected" "$d/pl.bin"
  run bl-strip --strict -o "$d/strict.bin" "$d/Boot1"
  assert_failure 1
  assert_file_not_exists "$d/strict.bin"
  assert_no_output_left "$d" strict.bin
}

@test "a raw GFH image passes through unchanged; bl-strip | bl-strip is idempotent through pipes" {
  boot1_image "$d/Boot1" "$d/expected" --storage emmc --sig-type 3
  bl-strip "$d/expected" > "$d/pl.bin"
  cmp "$d/expected" "$d/pl.bin"
  cat "$d/Boot1" | bl-strip | bl-strip | bl-strip - > "$d/piped.bin"
  cmp "$d/expected" "$d/piped.bin"
  # the writer of the pipe is not killed by SIGPIPE: the rest of BOOT1 is drained
  run bash -o pipefail -c "cat '$d/Boot1' | bl-strip > /dev/null"
  assert_success
}

@test "--info: storage, offsets, file_len, max_size, flash_dev, sig_type, load address, EMI version, name, SHA-256" {
  boot1_image "$d/Boot1" "$d/expected" --storage ufs --sig-type 1 --body 30000 --emi-version 37 --name preloader_k62v1.bin
  run --separate-stderr bl-strip --info "$d/Boot1"
  assert_success
  local len; len=$(stat -c %s "$d/expected")
  assert_line "input:            $d/Boot1"
  assert_line "header:           UFS_BOOT (storage ufs, block size 4096)"
  assert_line --regexp '^brlyt: +at 0x200, version 1, boot region 0x1000\.\.0x[0-9a-f]+$'
  assert_line "preloader:        at 0x1000 (BRLYT descriptor)"
  assert_line "file_len:         $len ($(printf '0x%x' "$len"))"
  assert_line "max_size:         262144 (0x40000)"
  assert_line "flash_dev:        12 (ufs)"
  assert_line "sig_type:         1 (phash)"
  assert_line "load_addr:        0x201000"
  assert_line "bloader_info:     MTK_BLOADER_INFO_v37"
  assert_line "file_name:        preloader_k62v1.bin"
  assert_line "sha256:           ok (computed $(sha256_head "$d/expected" $((len - 32))))"
}

@test "--json: the same facts for programs; the SHA-256 agrees with sha256sum" {
  boot1_image "$d/Boot1" "$d/expected" --storage emmc --sig-type 3 --body 12345
  run --separate-stderr bl-strip --json "$d/Boot1"
  assert_success
  local len; len=$(stat -c %s "$d/expected")
  assert_equal "$(jq -r '[.file_len, .max_size, .flash_dev, .flash_dev_name, .sig_type, .sig_len, .load_addr, .header, .brlyt_offset, .gfh_offset] | join(" ")' <<< "$output")" \
    "$len 262144 5 emmc-boot 3 292 2101248 EMMC_BOOT 512 2048"
  assert_equal "$(jq -r '.bloader_info_version, .file_name, .sha256' <<< "$output" | tr '\n' ' ')" "v20 preloader_mtkfw_test.bin ok "
  assert_equal "$(jq -r .sha256_computed <<< "$output")" "$(sha256_head "$d/expected" $((len - 292)))"
  assert_equal "$(jq -r .sha256_expected <<< "$output")" "$(sha256_head "$d/expected" $((len - 292)))"
}

@test "--json on a raw image and without signature or EMI block: nulls and 'not present'" {
  boot1_image "$d/pl" "$d/expected" --storage raw --sig-type 0 --name ""
  run bl-strip --json "$d/pl"
  assert_success
  assert_equal "$(jq -r '[.header, .brlyt_offset, .gfh_offset_from, .bloader_info_version, .file_name, .sha256, .sha256_expected] | map(tostring) | join(",")' <<< "$output")" \
    "null,null,raw,null,null,not present,null"
}

@test "--project: the project of the stock name, for scripts; none is an error (exit 1)" {
  boot1_image "$d/Boot1" "$d/expected" --name preloader_a5y17lte.bin
  run --separate-stderr bl-strip --project "$d/Boot1"
  assert_success
  assert_output a5y17lte
  boot1_image "$d/Boot1" "$d/expected" --name ""
  run --separate-stderr bl-strip --project -o "$d/project" "$d/Boot1"
  assert_failure 1
  assert_equal "$stderr" "bl-strip: error: $d/Boot1: the preloader carries no project name (it is saved as preloader.bin)"
  assert_file_not_exists "$d/project"
  run bl-strip --project --name "$d/Boot1"
  assert_failure 2
}

@test "--name: the stock file name, else preloader.bin" {
  boot1_image "$d/Boot1" "$d/expected" --name preloader_a5y17lte.bin
  run bl-strip --name "$d/Boot1"
  assert_success
  assert_output preloader_a5y17lte.bin
  boot1_image "$d/Boot1" "$d/expected" --name ""
  run bl-strip --name "$d/Boot1"
  assert_output preloader.bin
  boot1_image "$d/Boot1" "$d/expected" --name "../../etc/passwd"
  run --separate-stderr bl-strip --name "$d/Boot1"
  assert_output preloader.bin
  assert_equal "$stderr" "bl-strip: warning: the file name in MTK_BLOADER_INFO is not a plain file name: ignored"
}

@test "--range: offset and length of the preloader in BOOT1, from the headers (file) or a pass (pipe)" {
  boot1_image "$d/Boot1" "$d/expected" --storage ufs --body 77777
  local len; len=$(stat -c %s "$d/expected")
  run bl-strip --range "$d/Boot1"
  assert_success
  assert_output "4096 $len"
  run bash -c "cat '$d/Boot1' | bl-strip --range"
  assert_output "4096 $len"
  read -r off n < <(bl-strip --range "$d/Boot1")
  cmp <(tail -c +$((off + 1)) "$d/Boot1" | head -c "$n") "$d/expected"
  head -c 50000 "$d/Boot1" > "$d/cut"
  run bl-strip --range "$d/cut"
  assert_failure 1
  assert_output --partial "truncated"
}

@test "SHA-256 mismatch: a warning and exit 0; --strict: exit 1 and no file" {
  boot1_image "$d/Boot1" "$d/expected" --sig-type 1 --bad-hash
  run --separate-stderr bl-strip -o "$d/pl.bin" "$d/Boot1"
  assert_success
  assert_equal "$stderr" "bl-strip: warning: the SHA-256 in the signature does not match the image (sig_type 1): damaged or modified preloader"
  cmp "$d/expected" "$d/pl.bin"
  assert_equal "$(bl-strip --json "$d/Boot1" | jq -r .sha256)" mismatch
  run --separate-stderr bl-strip --strict -o "$d/strict.bin" "$d/Boot1"
  assert_failure 1
  assert_equal "${stderr##*$'\n'}" "bl-strip: error: $d/Boot1: 1 warning(s) and --strict"
  assert_no_output_left "$d" strict.bin
  # from a file, nothing reaches standard output either: the checks come before the copy
  run bash -c "bl-strip --strict '$d/Boot1' 2>/dev/null | wc -c"
  assert_output 0
  # and without --strict the copy goes through a pipe byte for byte
  bl-strip "$d/Boot1" | cat > "$d/piped.bin"
  cmp "$d/expected" "$d/piped.bin"
}

@test "truncated readback: exit 1, says so, leaves no file (file and pipe)" {
  boot1_image "$d/Boot1" "$d/expected" --body 100000
  head -c 60000 "$d/Boot1" > "$d/cut"
  run --separate-stderr bl-strip -o "$d/pl.bin" "$d/cut"
  assert_failure 1
  assert_equal "$stderr" "bl-strip: error: $d/cut: truncated: the preloader's file_len is $(stat -c %s "$d/expected") bytes from 0x800, so the input needs $(( $(stat -c %s "$d/expected") + 2048 )) bytes but ends at 60000"
  assert_no_output_left "$d" pl.bin
  run bash -c "cat '$d/cut' | bl-strip -o '$d/pl.bin'"
  assert_failure 1
  assert_output --partial "truncated"
  assert_no_output_left "$d" pl.bin
}

@test "lying file_len: larger than max_size, or too small for the GFH and signature, is refused" {
  boot1_image "$d/Boot1" "$d/expected"
  printf '\x00\x00\x05\x00' | dd of="$d/Boot1" bs=1 seek=$((0x800 + 0x20)) conv=notrunc status=none
  run bl-strip "$d/Boot1"
  assert_failure 1
  assert_output "bl-strip: error: $d/Boot1: preloader at 0x800: GFH file_len 327680 is larger than max_size 262144"
  boot1_image "$d/Boot1" "$d/expected" --file-len 150
  run bl-strip "$d/Boot1"
  assert_failure 1
  assert_output --partial "is past file_len 150"
}

@test "lying file_len inside the padding: BRLYT boundary and SHA-256 both warn; --strict fails" {
  boot1_image "$d/Boot1" "$d/expected" --file-len 0x30000
  run --separate-stderr bl-strip -o "$d/pl.bin" "$d/Boot1"
  assert_success
  [[ "$stderr" == *"runs past the BRLYT's boot region end"*"SHA-256 in the signature does not match"* ]]
  assert_equal "$(stat -c %s "$d/pl.bin")" $((0x30000))
  run bl-strip --strict -o "$d/strict.bin" "$d/Boot1"
  assert_failure 1
}

@test "broken GFH chain: a block past content_offset, or a gap that is not alignment" {
  boot1_image "$d/Boot1" "$d/expected" --break-chain
  run bl-strip "$d/Boot1"
  assert_failure 1
  assert_output --regexp "broken GFH chain: the block at 0x38 \(size 0x[0-9a-f]+\) runs past content_offset"
  boot1_image "$d/Boot1" "$d/expected" --gap 32
  run bl-strip "$d/Boot1"
  assert_failure 1
  assert_output --partial "broken GFH chain: it ends at 0x88"
  boot1_image "$d/Boot1" "$d/expected" --gap 4     # zero padding to 16 bytes, as in real images
  bl-strip "$d/Boot1" | cmp - "$d/expected"
}

@test "an EMI / MTK_BLOADER_INFO blob: exit 1, says what it is" {
  { printf 'MTK_BLOADER_INFO_v22\0\0\0\0\0\0\0preloader_x.bin'; head -c 2000 /dev/zero; } > "$d/emi.bin"
  run bl-strip "$d/emi.bin"
  assert_failure 1
  assert_output "bl-strip: error: $d/emi.bin: not a BOOT1 readback nor a preloader image (no EMMC_BOOT/UFS_BOOT header, no BRLYT, no GFH FILE_INFO): it looks like an EMI settings block (MTK_BLOADER_INFO_v22) cut out of a preloader, not the preloader itself"
}

@test "a USER readback given by mistake: exit 1, 'a disk with a GPT'" {
  mtk_dump "$d/User"
  run bl-strip -o "$d/pl.bin" "$d/User"
  assert_failure 1
  assert_output --partial "it looks like a disk with a GPT (512-byte sectors): a USER readback?"
  assert_no_output_left "$d" pl.bin
}

@test "empty input, an empty BOOT2 (zeros) and erased flash (0xFF): exit 1 with what they are" {
  : > "$d/empty"
  run bl-strip "$d/empty"
  assert_failure 1
  assert_output "bl-strip: error: $d/empty: empty (0 bytes): not a BOOT1 readback nor a preloader image"
  run bash -c "bl-strip < /dev/null"
  assert_failure 1
  assert_output --partial "standard input: empty"
  truncate -s 4M "$d/Boot2"
  run bl-strip "$d/Boot2"
  assert_failure 1
  assert_output --partial "it looks like all zeros: an empty boot partition (BOOT2?)"
  head -c 8192 /dev/zero | tr '\0' '\377' > "$d/ff"
  run bl-strip "$d/ff"
  assert_output --partial "erased flash (all 0xFF)"
}

@test "a header whose BRLYT points at no GFH is refused, not guessed" {
  boot1_image "$d/Boot1" "$d/expected" --storage emmc
  printf '\x00\x10\x00\x00' | dd of="$d/Boot1" bs=1 seek=$((0x200 + 0x1C)) conv=notrunc status=none
  run bl-strip "$d/Boot1"
  assert_failure 1
  assert_output "bl-strip: error: $d/Boot1: no GFH FILE_INFO at 0x1000, where the BRLYT puts the preloader"
}

@test "usage errors exit 2" {
  boot1_image "$d/Boot1" "$d/expected"
  run bl-strip --info --json "$d/Boot1"
  assert_failure 2
  run bl-strip --name --info "$d/Boot1"
  assert_failure 2
}

@test "the real preloader samples (when ../shared/reference is there)" {
  local ref
  ref=$(bl_strip_reference_dir) || skip "no reference samples (../shared/reference)"
  run env MTKFW_REFERENCE="$ref" bats --tap "$MTKFW_ROOT/tests/reference/bl-strip.bats"
  assert_success
  refute_output --partial "# skip"
}

@test "--info and --json: the platform of MediaTek's build path inside the preloader; two platforms conflict" {
  boot1_image "$d/Boot1" "$d/expected" --storage emmc \
    --build-path /home/b/android/vendor/mediatek/proprietary/bootable/bootloader/preloader/platform/mt6761/src/drivers/uart.c
  run bl-strip -q --info "$d/Boot1"
  assert_line "platform:         MT6761 (build path in the preloader)"
  run bl-strip -q --json "$d/Boot1"
  assert_equal "$(jq -r .platform <<<"$output")" MT6761
  run bash -c "cat '$d/Boot1' | bl-strip -q --json"   # a pipe reads the same
  assert_equal "$(jq -r .platform <<<"$output")" MT6761
  boot1_image "$d/Boot1" "$d/expected" --storage emmc --build-path /x/preloader/platform/mt6761/a.c \
    --build-path /x/preloader/platform/mt6765/b.c
  run bl-strip -q --info "$d/Boot1"
  assert_line "platform:         conflicting (build paths name MT6761, MT6765)"
  run bl-strip -q --json "$d/Boot1"
  assert_equal "$(jq -r .platform <<<"$output")" null
  boot1_image "$d/Boot1" "$d/expected" --storage emmc
  run bl-strip -q --info "$d/Boot1"
  assert_line "platform:         not present (no .../preloader/platform/mtXXXX/ build path)"
}
