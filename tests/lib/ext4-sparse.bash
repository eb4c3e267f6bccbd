# Fixture builders and oracles for tests/ext4-sparse.bats: file systems made by mke2fs -d,
# sparse images read back with od (not with our decoder), e2fsprogs' view of the used blocks.

# es_tree DIR: random, zero and many small files, a subfolder, a symlink.
es_tree() {
  local d=$1 i
  mkdir -p "$d/sub/deeper" "$d/many"
  head -c $((3 * 1024 * 1024 + 123)) /dev/urandom > "$d/random.bin"
  head -c $((2 * 1024 * 1024)) /dev/zero > "$d/zero.bin"
  head -c 100000 /dev/urandom > "$d/sub/deeper/r2.bin"
  # A file of one repeated 4-byte pattern: a FILL candidate inside a used file.
  yes ABC | head -c $((256 * 1024)) > "$d/sub/pattern.txt"
  for i in $(seq 1 300); do echo "small file $i $RANDOM" > "$d/many/f$i.txt"; done
  ln -s sub/pattern.txt "$d/link"
}

# es_mkfs IMG SIZE DIR MKE2FS-OPTIONS...: a file system of SIZE bytes filled from DIR.
es_mkfs() {
  local img=$1 size=$2 dir=$3
  shift 3
  rm -f "$img"
  truncate -s "$size" "$img"
  mke2fs -q -F "$@" -d "$dir" "$img"
}

# es_dump_free IMG: e2fsprogs' free blocks (dumpe2fs), as merged "first last" lines.
es_dump_free() {
  dumpe2fs "$1" 2>/dev/null | sed -n 's/^  Free blocks: //p' | tr ',' '\n' | sed 's/ //g; /^$/d' |
    awk -F- '{ s = $1; e = (NF > 1 ? $2 : $1); print s, e }' | sort -n | es_merge
}

# es_dont_care SPARSE [LIMIT]: the DONT_CARE block ranges of a sparse image, as merged
# "first last" lines, read with od from the chunk headers; ranges at or past LIMIT blocks left out.
es_dont_care() {
  local f=$1 limit=${2:-999999999999}
  local hdr; read -r -a hdr < <(od -An -tu2 -j 8 -N 4 "$f")   # file_hdr_sz chunk_hdr_sz
  local total_chunks
  total_chunks=$(od -An -tu4 -j 20 -N 4 "$f" | tr -d ' ')
  local off=${hdr[0]} block=0 i type sz tot
  for ((i = 0; i < total_chunks; i++)); do
    type=$(od -An -tx2 -j "$off" -N 2 "$f" | tr -d ' ')
    read -r sz tot < <(od -An -tu4 -j $((off + 4)) -N 8 "$f")
    if [ "$type" = cac3 ] && [ "$block" -lt "$limit" ]; then
      local e=$((block + sz - 1)); [ "$e" -ge "$limit" ] && e=$((limit - 1))
      echo "$block $e"
    fi
    block=$((block + sz))
    off=$((off + tot))
  done | es_merge
}

# Merges sorted "first last" ranges that touch.
es_merge() {
  awk 'NR == 1 { s = $1; e = $2; next }
       $1 <= e + 1 { if ($2 > e) e = $2; next }
       { print s, e; s = $1; e = $2 }
       END { if (NR) print s, e }'
}

# es_files_md5 DIR: md5 of every regular file, by relative path.
es_files_md5() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 md5sum)
}

# es_check_consumers FS SPARSE DIR WORK: what a real consumer sees.  simg2img expands SPARSE to
# FS's size, e2fsck finds it clean, debugfs reads back every file of DIR equal, and our -d gives
# simg2img's bytes.
es_check_consumers() {
  local fs=$1 simg=$2 dir=$3 work=$4
  mkdir -p "$work"
  simg2img "$simg" "$work/expanded.img" || { echo "simg2img refused $simg"; return 1; }
  [ "$(stat -c %s "$work/expanded.img")" -eq "$(stat -c %s "$fs")" ] || { echo "expanded size differs"; return 1; }
  e2fsck -fn "$work/expanded.img" > "$work/fsck.log" 2>&1 || { cat "$work/fsck.log"; echo "e2fsck not clean"; return 1; }
  rm -rf "$work/rdump" && mkdir "$work/rdump"
  debugfs -R "rdump / $work/rdump" "$work/expanded.img" > /dev/null 2>&1
  diff <(es_files_md5 "$dir") <(es_files_md5 "$work/rdump") || { echo "files differ after rdump"; return 1; }
  ext4-sparse -d -o "$work/ours.img" "$simg" || return 1
  cmp "$work/ours.img" "$work/expanded.img" || { echo "our -d differs from simg2img"; return 1; }
}

# es_check_used FS SPARSE WORK (after es_check_consumers): the blocks left out are exactly
# e2fsprogs' free blocks, and every used block comes back bit for bit.
es_check_used() {
  local fs=$1 simg=$2 work=$3 blocks bs
  blocks=$(dumpe2fs -h "$fs" 2>/dev/null | sed -n 's/^Block count: *//p')
  bs=$(dumpe2fs -h "$fs" 2>/dev/null | sed -n 's/^Block size: *//p')
  diff <(es_dump_free "$fs") <(es_dont_care "$simg" "$blocks") || { echo "used blocks differ from dumpe2fs"; return 1; }
  # Compare with the free blocks zeroed in both (free blocks of the original may hold anything).
  cp --sparse=always "$fs" "$work/used-only.img"
  while read -r s e; do
    dd if=/dev/zero of="$work/used-only.img" bs="$bs" seek="$s" count=$((e - s + 1)) conv=notrunc status=none
  done < <(es_dump_free "$fs")
  cmp "$work/used-only.img" "$work/expanded.img" || { echo "used blocks differ"; return 1; }
}

es_check_image() {  # FS SPARSE DIR WORK: both of the above
  es_check_consumers "$@" && es_check_used "$1" "$2" "$4"
}

# es_late_bitmap IMG: moves group 0's block bitmap of a one-group 4 KiB ext2 image to its last
# (free) block, so that a forward reader meets the bitmap only at the very end.  e2fsck still
# finds the file system clean.
es_late_bitmap() {
  local img=$1 bs=4096 last old b
  last=$(( $(stat -c %s "$img") / bs - 1 ))
  old=$(od -An -tu4 -j $bs -N 4 "$img" | tr -d ' ')
  dd if="$img" of="$img" bs=$bs skip="$old" seek="$last" count=1 conv=notrunc status=none
  b=$(( last * bs + last / 8 )); set_byte "$img" $b $(( $(get_byte "$img" $b) | (1 << (last % 8)) ))
  b=$(( last * bs + old / 8 )); set_byte "$img" $b $(( $(get_byte "$img" $b) & ~(1 << (old % 8)) & 255 ))
  poke32 "$img" $bs "$last"
}

# es_plan_image IMG SPARSE FIRST LAST: a sparse image of IMG (4 KiB blocks) written by python,
# not by us: RAW up to block FIRST, DONT_CARE over FIRST..LAST, RAW after.
es_plan_image() { python3 "$MTKFW_ROOT/tests/lib/sparse-plan.py" "$@"; }
