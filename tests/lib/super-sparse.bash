# Oracles for tests/super-sparse.bats: a sparse super read back by simg2img, lpunpack, lpdump,
# e2fsck, fsck.erofs and dumpe2fs; which blocks must be absent from lpdump's layout and
# dumpe2fs's free blocks (tests/lib/lp-extents.py), the chunk map by od (es_dont_care of
# tests/lib/ext4-sparse.bash): never by our own reader.

# ss_expected PIECE_SIZE ORIGINAL OUT: what lpunpack must give for a partition made from
# ORIGINAL: ORIGINAL padded with zeros to PIECE_SIZE; for ext4, its free blocks (dumpe2fs) zeros
# too (DONT_CARE expands to zeros; they held deleted files).
ss_expected() {  # PIECE_SIZE ORIGINAL OUT
  local size=$1 orig=$2 out=$3 a b
  cp "$orig" "$out"
  truncate -s "$size" "$out"
  dumpe2fs -h "$orig" >/dev/null 2>&1 || return 0
  while read -r a b; do
    dd if=/dev/zero of="$out" bs=4096 seek="$a" count=$((b - a + 1)) conv=notrunc status=none
  done < <(es_dump_free "$orig")
}

# ss_inside RANGES SPARSE: every "first last" block range of the file RANGES lies inside the
# DONT_CARE chunks of SPARSE; says the first that does not.
ss_inside() {  # RANGES SPARSE
  awk 'NR == FNR { s[NR] = $1; e[NR] = $2; n = NR; next }
       { ok = 0; for (i = 1; i <= n; i++) if (s[i] <= $1 && $2 <= e[i]) { ok = 1; break }
         if (!ok) { print "blocks " $1 "-" $2 " are not DONT_CARE"; bad = 1 } }
       END { exit bad }' <(es_dont_care "$2") "$1"
}

# ss_written SPARSE: the bytes a flasher writes (RAW and FILL blocks x blk_sz), read with od.
ss_written() {  # SPARSE
  local f=$1 hdr total_chunks bs off i type sz tot n=0
  read -r -a hdr < <(od -An -tu2 -j 8 -N 4 "$f")
  bs=$(od -An -tu4 -j 12 -N 4 "$f" | tr -d ' ')
  total_chunks=$(od -An -tu4 -j 20 -N 4 "$f" | tr -d ' ')
  off=${hdr[0]}
  for ((i = 0; i < total_chunks; i++)); do
    type=$(od -An -tx2 -j "$off" -N 2 "$f" | tr -d ' ')
    read -r sz tot < <(od -An -tu4 -j $((off + 4)) -N 8 "$f")
    if [ "$type" = cac1 ] || [ "$type" = cac2 ]; then n=$((n + sz * bs)); fi
    off=$((off + tot))
  done
  echo "$n"
}

# ss_check SUPER SPARSE WORK [pipe]: what a consumer of SPARSE (made from SUPER, whose partition
# images are SUPER.d/NAME.img) sees.  simg2img expands it to SUPER's size; lpdump of the
# expansion equals lpdump of SUPER; lpunpack gives each partition as ss_expected says (with
# "pipe", ext4 free blocks were kept: the padded original with its old data); e2fsck -fn and
# fsck.erofs find the ext4 and erofs pieces clean (other content: byte equality only); unallocated space (and, from a file, free ext4 blocks) is
# DONT_CARE; a flasher writes less than for img2simg's image of SUPER.
ss_check() {  # SUPER SPARSE WORK [pipe]
  local super=$1 simg=$2 work=$3 mode=${4:-file} img name piece
  mkdir -p "$work/unpacked"
  simg2img "$simg" "$work/x" || { echo "simg2img refused $simg"; return 1; }
  [ "$(stat -c %s "$work/x")" -eq "$(stat -c %s "$super")" ] || { echo "expanded size differs"; return 1; }
  diff <("$LP_BIN/lpdump" "$super" 2>/dev/null) <("$LP_BIN/lpdump" "$work/x" 2>/dev/null) ||
    { echo "lpdump differs"; return 1; }
  "$LP_BIN/lpdump" "$super" > "$work/lpdump.txt" 2>/dev/null
  "$LP_BIN/lpunpack" "$work/x" "$work/unpacked" >/dev/null 2>&1 || { echo "lpunpack failed"; return 1; }
  for img in "$super.d"/*.img; do
    name=$(basename "$img" .img)
    piece=$work/unpacked/$name.img
    [ -f "$piece" ] || { echo "lpunpack gave no $name"; return 1; }
    if [ "$mode" = pipe ]; then cp "$img" "$work/$name.want"; truncate -s "$(stat -c %s "$piece")" "$work/$name.want"
    else ss_expected "$(stat -c %s "$piece")" "$img" "$work/$name.want"; fi
    cmp "$work/$name.want" "$piece" || { echo "$name differs from its original"; return 1; }
    if dumpe2fs -h "$img" >/dev/null 2>&1; then
      e2fsck -fn "$piece" >"$work/$name.fsck" 2>&1 || { cat "$work/$name.fsck"; echo "$name: e2fsck not clean"; return 1; }
      if [ "$mode" != pipe ]; then
        es_dump_free "$img" | python3 "$MTKFW_ROOT/tests/lib/lp-extents.py" "$work/lpdump.txt" "$name" > "$work/$name.free"
        [ -s "$work/$name.free" ] || { echo "$name: no free blocks to check"; return 1; }
        ss_inside "$work/$name.free" "$simg" || { echo "$name: free blocks written"; return 1; }
      fi
    elif [ "$(od -An -tx4 -j 1024 -N 4 "$img" | tr -d ' ')" = e0f5e1e2 ]; then
      fsck.erofs "$piece" >"$work/$name.fsck" 2>&1 || { cat "$work/$name.fsck"; echo "$name: fsck.erofs not clean"; return 1; }
    fi
  done
  # The 4096-byte blocks wholly inside each unallocated byte range lpdump's layout leaves.
  "$MTKFW_ROOT/tests/lib/lp-layout" "$super" unallocated |
    awk '{ f = int(($1 + 4095) / 4096); l = int(($1 + $2) / 4096) - 1; if (l >= f) print f, l }' > "$work/unallocated"
  [ -s "$work/unallocated" ] || { echo "no unallocated space to check"; return 1; }
  ss_inside "$work/unallocated" "$simg" || { echo "unallocated space written"; return 1; }
  img2simg "$super" "$work/img2simg.img"
  local ours theirs
  ours=$(ss_written "$simg"); theirs=$(ss_written "$work/img2simg.img")
  [ "$ours" -lt "$theirs" ] || { echo "a flasher writes $ours bytes of ours, $theirs of img2simg's"; return 1; }
}
