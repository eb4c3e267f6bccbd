# Fixture builders for tests/scatter-gen.bats: GPT dumps (sgdisk, mke2fs) laid out like a
# reference scatter, a GFH preloader image, and a field extractor that reads scatter files with
# awk (independent of the C++ parser under test).

SCATTER_REF=${MTKFW_SCATTER_REF:-$MTKFW_ROOT/../../shared/reference/scatter}
[ -d "$SCATTER_REF" ] || SCATTER_REF=/work/shared/reference/scatter

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
  local i=0 prev=-1 name start size
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
    if [ $n -lt ${#names[@]} ] && [ $(( s + z )) -lt ${starts[$n]} ] && [ ${starts[$n]} -gt $(( dev / 2 )) ]; then
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

# le32 N: four little-endian bytes.
le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/' | xxd -r -p; }

# gfh_preloader FILE NAME MAX_SIZE: a preloader image as FORMATS.md describes it: GFH FILE_INFO,
# a body, the MTK_BLOADER_INFO block naming NAME at +0x1B, its length, a 32-byte signature.
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
    head -c "$sig" /dev/urandom
  } > "$f"
}
