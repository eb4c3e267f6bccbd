#!/usr/bin/env bats
# scatter-gen --preloader with real preloaders (bkerler/mtkclient samples, see
# $MTKFW_REFERENCE/preloader/SOURCES.md), read in place.  Run by `make test-reference`.

load ../test_helper

setup() {
  [ -n "${MTKFW_REFERENCE:-}" ] && [ -d "$MTKFW_REFERENCE/preloader" ] ||
    skip "no reference samples (MTKFW_REFERENCE=${MTKFW_REFERENCE:-unset})"
  cd "$BATS_TEST_TMPDIR"
  printf '%s\n' '# mtkfw-table 1 sector_size=512 dump_size=67108864 disk_size=66601472 first_lba=34 last_lba=130047 disk_guid=0' \
    $'index\tname\tstart\tsize\tcontent\tlabel\ttype\tuuid\tattributes' \
    $'1\tboot\t524288\t1048576\tandroid-boot\t\t0\t0\t0x0' > table.tsv
}

@test "real raw preloaders: file name from MTK_BLOADER_INFO, size from the GFH max_size, project from the name" {
  for p in a04br3 hs03s; do
    run --separate-stderr scatter-gen --platform MT6752 --preloader "$MTKFW_REFERENCE/preloader/preloader_$p.bin" table.tsv
    assert_success
    [ -z "$stderr" ]
    assert_line "      project: $p"
    assert_line "  file_name: preloader_$p.bin"
    assert_line "  partition_size: 0x40000"
  done
}

@test "a BOOT1-style image (header block first) is not a preloader image: bl-strip it first" {
  run scatter-gen --platform MT6752 --preloader "$MTKFW_REFERENCE/preloader/preloader_a05ba.img" table.tsv
  assert_failure 1
  assert_output --partial "not a preloader image"
}
