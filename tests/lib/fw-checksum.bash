# Fixture builders for the fw-checksum suite and benchmark.

# fwck_scatter SCATTER ROW...: an MT6752 V1.1.2 scatter file laid out as MediaTek's generator
# writes it (see ../shared/reference/scatter/), one 1 MiB partition per ROW, ROW being
# NAME:FILE:true|false (FILE is NONE for a row that is not downloaded).
fwck_scatter() {
  local out=$1 banner i=0 name file download op
  shift
  banner=$(printf '#%.0s' {1..108})
  {
    printf '%s\n#\n#  General Setting\n#\n%s\n' "$banner" "$banner"
    printf -- '- general: MTK_PLATFORM_CFG\n  info: \n    - config_version: V1.1.2\n'
    printf '      platform: MT6752\n      project: fwck\n      storage: EMMC\n'
    printf '      boot_channel: MSDC_0\n      block_size: 0x20000\n'
    printf '%s\n#\n#  Layout Setting\n#\n%s\n' "$banner" "$banner"
    for row in "$@"; do
      IFS=: read -r name file download <<<"$row"
      op=UPDATE
      [ "$download" = true ] || op=INVISIBLE
      printf -- '- partition_index: SYS%d\n  partition_name: %s\n  file_name: %s\n' "$i" "$name" "$file"
      printf '  is_download: %s\n  type: NORMAL_ROM\n' "$download"
      printf '  linear_start_addr: 0x%x\n  physical_start_addr: 0x%x\n' $((i << 20)) $((i << 20))
      printf '  partition_size: 0x100000\n  region: EMMC_USER\n  storage: HW_STORAGE_EMMC\n'
      printf '  boundary_check: true\n  is_reserved: false\n  operation_type: %s\n  reserve: 0x00\n\n' "$op"
      i=$((i + 1))
    done
  } >"$out"
}
