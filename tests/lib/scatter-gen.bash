# Fixture builders for tests/scatter-gen.bats: GPT dumps (sgdisk, mke2fs) laid out like a
# reference scatter, a GFH preloader image, and a field extractor that reads scatter files with
# awk (independent of the C++ parser under test).

# The reference scatter samples (test_helper's reference_dir), or a folder that is not there.
SCATTER_REF=$(reference_dir || echo /nonexistent)/scatter
need_reference() { [ -f "$SCATTER_REF/$1" ] || skip "reference sample $1 not found (set MTKFW_REFERENCE)"; }

# scatter_fields FILE: one tab-separated line per partition block, keys in MediaTek's order:
# index name file_name is_download type linear physical size region storage boundary reserved operation
scatter_fields() {
  awk '
    /^[ -]*partition_index:/ { inpart = 1; row = "" }
    inpart && /^[ -]*(partition_index|partition_name|file_name|is_download|type|linear_start_addr|physical_start_addr|partition_size|region|storage|boundary_check|is_reserved|operation_type):/ {
      v = $0; sub(/^[ -]*[a-z_]+: */, "", v); sub(/[ \r]+$/, "", v); row = (row == "" ? v : row "\t" v) }
    inpart && /^[ -]*reserve:/ { print row; inpart = 0 }
  ' "$1"
}

# gpt_dump_from_scatter REF DUMP DEVICE_SIZE: a sparse USER dump of DEVICE_SIZE bytes whose GPT
# (sgdisk, 512-byte sectors, backup at the start of the last 512 KiB as on the phones) holds exactly
# the EMMC_USER partitions of REF in order; end-relative rows are placed DEVICE_SIZE - n * 128 KiB;
# the partition before the tail is grown to reach it (as userdata is on a phone); rows of type
# EXT4_IMG get a small ext4 file system (mke2fs) at their start.
gpt_dump_from_scatter() {
  local ref=$1 dump=$2 dev=$3
  local -a args=() ext4=()
  local i=0 name start size
  local -a names=() starts=() sizes=() types=()
  while IFS=$'\t' read -r _ name _ _ type start _ size region _; do
    [ "$region" = EMMC_USER ] || continue
    [ "$name" = pgpt ] || [ "$name" = sgpt ] && continue
    if [[ ${start^^} == 0XFFFF* ]]; then start=$(( dev - 0x${start:6} * 0x20000 )); fi
    names+=("$name"); starts+=($((start))); sizes+=($((size))); types+=("$type")
  done < <(scatter_fields "$ref")
  for i in "${!names[@]}"; do
    local s=${starts[$i]} z=${sizes[$i]} n=$((i + 1))
    # grow a partition into the gap before an end-relative successor (the placeholder size)
    if [ "$n" -lt "${#names[@]}" ] && [ $(( s + z )) -lt "${starts[$n]}" ] && [ "${starts[$n]}" -gt $(( dev / 2 )) ]; then
      z=$(( ${starts[$n]} - s ))
    fi
    args+=(-n "$n:$(( s / 512 )):$(( (s + z) / 512 - 1 ))" -c "$n:${names[$i]}" -t "$n:0700")
    [ "${types[$i]}" = EXT4_IMG ] && ext4+=("$s")
  done
  truncate -s $(( dev - 524288 + 33 * 512 )) "$dump"
  sgdisk -o -a 1 "${args[@]}" "$dump" >/dev/null
  truncate -s "$dev" "$dump"
  for s in "${ext4[@]}"; do
    mke2fs -q -F -t ext4 -b 4096 -O ^has_journal -E "offset=$s,nodiscard" "$dump" 1024
  done
}

# gfh_preloader FILE NAME MAX_SIZE: a preloader image as doc/FORMATS.md describes it: GFH FILE_INFO,
# a body, the MTK_BLOADER_INFO block naming NAME at +0x1B, its length, the SHA-256 signature.
gfh_preloader() {
  local f=$1 name=$2 max=$3
  local body=4096 info=256 sig=32
  local len=$(( 0x38 + body + info + 4 + sig ))
  {
    printf 'MMM\x01'; printf '\x38\x00\x00\x00'; printf 'FILE_INFO\0\0\0'
    le32 1; printf '\x01\x00\x05\x01'; le32 0x201000; le32 "$len"; le32 "$max"
    le32 0x38; le32 "$sig"; le32 0x38; le32 1
    head -c "$body" /dev/urandom
    { printf 'MTK_BLOADER_INFO_v22'; head -c $(( 0x1B - 20 )) /dev/zero; printf '%s' "$name"
      head -c $(( info - 0x1B - ${#name} )) /dev/zero; }
    le32 "$info"
  } > "$f"
  local sum; sum=$(sha256sum "$f" | cut -c1-64)   # sig_type 1: SHA-256 of what precedes it
  xxd -r -p <<<"$sum" >> "$f"
}

# The Lenovo P-70A's GPT as the seed blog printed it (parted unit B: number start end name;
# ends inclusive); its user area is 0x3a3e00000 bytes (SP Flash Tool's memory report).
P70A_USER_SIZE=$((0x3a3e00000))
p70a_table() {
  cat <<'TABLE'
1 524288 3670015 proinfo
2 3670016 8912895 nvram
3 8912896 19398655 protect1
4 19398656 29884415 protect2
5 29884416 30146559 seccfg
6 30146560 30539775 lk
7 30539776 47316991 boot
8 47316992 64094207 recovery
9 64094208 70385663 secro
10 70385664 70909951 para
11 70909952 79298559 logo
12 79298560 89784319 expdb
13 89784320 95027199 tee1
14 95027200 100270079 tee2
15 100270080 134217727 metadata
16 134217728 2281701375 system
17 2281701376 2726297599 cache
18 2726297600 15616966655 userdata
19 15616966656 15633743871 flashinfo
TABLE
}

# p70a_dump FILE: that layout in a sparse file, ext4 where parted saw ext4 (protect1/2, system,
# cache, userdata), the backup GPT 991 sectors before the end as parted reported.
p70a_dump() {
  local f=$1 args=() n s e name
  while read -r n s e name; do args+=(-n "$n:$(( s / 512 )):$(( e / 512 ))" -c "$n:$name" -t "$n:0700"); done < <(p70a_table)
  truncate -s $(( P70A_USER_SIZE - 991 * 512 )) "$f"
  sgdisk -o -a 1 "${args[@]}" "$f" >/dev/null
  truncate -s "$P70A_USER_SIZE" "$f"
  for s in 8912896 19398656 134217728 2281701376 2726297600; do
    mke2fs -q -F -t ext4 -b 4096 -O ^has_journal -E "offset=$s,nodiscard" "$f" 1024
  done
}

# tsv_table DUMP_SIZE LAST_LBA [NAME START SIZE CONTENT]...: a hand-written gpt-list --tsv table
# (SECTOR=4096 in the environment: a UFS LU2's).
tsv_table() {
  local dump=$1 last=$2 i=1 sector=${SECTOR:-512}; shift 2
  printf '# mtkfw-table 1 sector_size=%s dump_size=%s disk_size=%s first_lba=%s last_lba=%s disk_guid=0\n' \
    "$sector" "$dump" $(( (last + 1) * sector + 33 * 512 )) $(( sector == 512 ? 34 : 6 )) "$last"
  printf 'index\tname\tstart\tsize\tcontent\tlabel\ttype\tuuid\tattributes\n'
  while [ $# -ge 4 ]; do
    printf '%s\t%s\t%s\t%s\t%s\t\tEBD0A0A2-B9E5-4433-87C0-68B6B72699C7\t0\t0x0\n' "$i" "$1" "$2" "$3" "$4"
    i=$((i + 1)); shift 4
  done
}

# scatter_keys FILE KEY...: per partition block, its section (storage_type, "-" in V1.x files) and
# the values of KEY... ("-" where the block has no such key), tab-separated; awk, like
# scatter_fields, so that the parser under test is not its own judge.
scatter_keys() {
  local file=$1; shift
  awk -v keys="$*" '
    BEGIN { n = split(keys, k, " ") }
    function flush(  i, row) { if (!inpart) return; row = section
      for (i = 1; i <= n; i++) row = row "\t" (k[i] in v ? v[k[i]] : "-"); print row; inpart = 0 }
    { sub(/\r$/, "") }
    /^- storage_type:/ { flush(); section = $3 }
    /^[ -]*partition_index:/ { flush(); inpart = 1; delete v }
    inpart && /^[ -]*[a-z_]+:/ { key = $0; sub(/^[ -]*/, "", key); val = key; sub(/:.*/, "", key)
      sub(/^[a-z_]+: */, "", val); sub(/ +$/, "", val); v[key] = val }
    inpart && /^[ -]*reserve:/ { flush() }
    END { flush() }
    BEGIN { section = "-" }
  ' "$file"
}

# stock_table REF: a gpt-list --tsv table holding the partitions of stock scatter REF's first
# section at their exact starts and sizes, content "ext4" for its EXT4_IMG rows and "unknown"
# (random bytes, what gpt-list says of firmware) for the others.  The end-relative rows are laid
# back to back before a backup-GPT area of sgpt's size, right after the last ordinary row (as on
# a phone, where userdata reaches the tail); the device ends there.  SECTOR as for tsv_table.
stock_table() {
  local ref=$1 sector=${SECTOR:-512}
  local -a names=() starts=() sizes=() contents=() tail_names=() tail_sizes=()
  local section name type start size region sgpt=0 end=0 first
  first=$(scatter_keys "$ref" partition_name | head -1 | cut -f1)
  while IFS=$'\t' read -r section name type start size region; do
    [ "$section" = "$first" ] || continue
    case $region in EMMC_USER|UFS_LU2) ;; *) continue ;; esac
    [ "$name" = pgpt ] && continue
    if [ "$name" = sgpt ]; then sgpt=$((size)); continue; fi
    if [[ ${start^^} == 0XFFFF* ]]; then tail_names+=("$name"); tail_sizes+=($((size))); continue; fi
    names+=("$name"); starts+=($((start))); sizes+=($((size)))
    contents+=("$([ "$type" = EXT4_IMG ] && echo ext4 || echo unknown)")
    [ $((start + size)) -gt "$end" ] && end=$((start + size))
  done < <(scatter_keys "$ref" partition_name type linear_start_addr partition_size region)
  local i at=$end args=()
  for i in "${!names[@]}"; do args+=("${names[$i]}" "${starts[$i]}" "${sizes[$i]}" "${contents[$i]}"); done
  for i in "${!tail_names[@]}"; do args+=("${tail_names[$i]}" "$at" "${tail_sizes[$i]}" unknown); at=$((at + tail_sizes[i])); done
  SECTOR=$sector tsv_table $((at + sgpt)) $((at / sector - 1)) "${args[@]}"
}
