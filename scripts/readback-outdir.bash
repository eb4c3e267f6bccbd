# readback-outdir.bash: what readback2fw may write, replace and remove in OUTDIR, and whether the
# run fits in it.  Sourced by scripts/readback2fw after readback-steps.bash, not run.
#
# The rule: no output is ever the same file as an input (by name, path, symlink or hard link),
# readback2fw replaces only plain files (never a link, whose target could be anywhere, or a
# folder), and --force removes only names readback2fw writes, inside OUTDIR.
# Reads readback2fw's variables: outdir, inputs (ROLE=PATH words), force, quiet; die and say.
# shellcheck disable=SC2154,SC2034  # those variables, the steps' agent_dir and da_vendor_files; stage, set for readback2fw

# Our fixed names: every run writes them (the state folder .mtkfw too, checked on its own).
outdir_fixed_names=(Checksum.ini partitions.tsv partitions.json report.txt)

# An input's role, said: "the USER dump", "the template".
input_role() {  # ROLE (BOOT1, USER, BOOT2, TEMPLATE)
  if [ "$1" = TEMPLATE ]; then echo "the template"; else echo "the $1 dump"; fi
}

# Which input PATH is, by device and inode (any name, symlink or hard link); fails when none.
input_at() {  # PATH: prints "the ROLE dump (FILE)"
  local entry
  for entry in "${inputs[@]}"; do
    if [ "$1" -ef "${entry#*=}" ]; then echo "$(input_role "${entry%%=*}") (${entry#*=})"; return 0; fi
  done
  return 1
}

# Why NAME in OUTDIR is not ours to replace or remove; nothing (success) when it is absent or
# a plain file that is no input.
not_ours() {  # NAME
  local path=$outdir/$1 what
  case $1 in ''|.|..|*/*) echo "not a file name in $outdir"; return 0 ;; esac
  [ -e "$path" ] || [ -L "$path" ] || return 1
  if what=$(input_at "$path"); then echo "it is $what"; return 0; fi
  if [ -L "$path" ]; then echo "a symbolic link (readback2fw writes none)"; return 0; fi
  if [ ! -f "$path" ]; then echo "not a plain file"; return 0; fi
  return 1
}

# Refuses the run (exit 1) when an output of this run would replace NAME and NAME is not ours.
outdir_writable_as() {  # NAME...
  local name why
  for name; do
    why=$(not_ours "$name") || continue
    die 1 "$outdir/$name: $why: readback2fw writes a file of that name there; move it out of $outdir or choose another OUTDIR"
  done
}

# The first check, before anything is written: our fixed names and the names an earlier run's
# outputs have (*_Android_scatter.txt, preloader_*.bin) must be ours; an input inside the state
# folder would go with it.  With --force, fills stale_names: what an earlier run left (its
# scatter, the downloaded files it names, our fixed names), each name checked; others are said
# and kept.
stale_names=()
outdir_check_before() {
  local entry real state name why old
  state=$(realpath -m -- "$outdir/.mtkfw")
  for entry in "${inputs[@]}"; do
    real=$(realpath -m -- "${entry#*=}")
    [[ $real != "$state"/* ]] || die 1 "${entry#*=}: $(input_role "${entry%%=*}") lies in $outdir/.mtkfw, readback2fw's state folder: move it out of $outdir"
  done
  [ ! -L "$outdir/.mtkfw" ] || die 1 "$outdir/.mtkfw: a symbolic link (readback2fw writes none): remove it"
  [ -d "$outdir" ] || return 0
  local found=() f
  for f in "$outdir"/*_Android_scatter.txt "$outdir"/*_Android_scatter.xml "$outdir"/preloader_*.bin; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    found+=("${f##*/}")
  done
  outdir_writable_as "${outdir_fixed_names[@]}" "${found[@]}"
  agent_check_before
  [ "$force" = 1 ] || return 0
  local -A seen=()
  for name in "${found[@]}" "${outdir_fixed_names[@]}"; do
    [[ $name != preloader_*.bin ]] || continue   # ours only when a scatter names it
    seen[$name]=1
    [ ! -e "$outdir/$name" ] || stale_names+=("$name")
  done
  for old in "${found[@]}"; do
    [[ $old == *_Android_scatter.* ]] || continue
    # A scatter is text anyone can edit: each name it lists is checked before it is removed.
    while IFS=$'\t' read -r _ name _ _ _; do
      [ -n "${seen[$name]:-}" ] || [ "$name" = NONE ] && continue
      seen[$name]=1
      if why=$(not_ours "$name"); then
        say "not removing '$name', named by $old: $why"
      elif [ -e "$outdir/$name" ]; then
        stale_names+=("$name")
      fi
    done < <(scatter_rows "$outdir/$old" 2>/dev/null | awk -F'\t' '$3 == "true"')
  done
}

# download_agent/ (--spft v6): a real folder, and each of our names in it a plain file that is no
# input; with --force, those names are removed (stale_agent), anything else in it is kept.
stale_agent=()
agent_check_before() {
  local dir=$outdir/$agent_dir name what
  [ -e "$dir" ] || [ -L "$dir" ] || return 0
  { [ -d "$dir" ] && [ ! -L "$dir" ]; } || die 1 "$dir: not a folder (a symbolic link or a file): readback2fw writes its SP Flash Tool v6 files there; move it out of $outdir"
  for name in flash.xml "${da_vendor_files[@]}"; do
    [ -e "$dir/$name" ] || [ -L "$dir/$name" ] || continue
    if what=$(input_at "$dir/$name"); then die 1 "$dir/$name: it is $what: readback2fw writes a file of that name there; move it out of $outdir"; fi
    { [ -f "$dir/$name" ] && [ ! -L "$dir/$name" ]; } || die 1 "$dir/$name: not a plain file: readback2fw writes a file of that name there; move it out of $outdir"
    stale_agent+=("$agent_dir/$name")
  done
}

# The second check, once the stage's scatter names this run's outputs: each must be ours.
outdir_check_outputs() {  # SCATTER PRELOADER (in the stage)
  local names=("$1" "$2") name
  while IFS=$'\t' read -r _ name _; do names+=("$name"); done < <(scatter_downloads "$OUT/$1")
  outdir_writable_as "${names[@]}"
}

# --force: removes what outdir_check_before found an earlier run left, and says what.
outdir_remove_stale() {
  local name removed=()
  [ ${#stale_names[@]} -gt 0 ] || [ ${#stale_agent[@]} -gt 0 ] || return 0
  for name in "${stale_names[@]}"; do
    # Checked again: the folder may have changed during the run.
    ! not_ours "$name" >/dev/null || continue
    rm -f -- "${outdir:?}/$name" && removed+=("$name")
  done
  for name in "${stale_agent[@]}"; do rm -f -- "${outdir:?}/$name" && removed+=("$name"); done
  if [ -d "$outdir/.mtkfw" ]; then rm -rf -- "${outdir:?}/.mtkfw" && removed+=(.mtkfw/); fi
  [ ${#removed[@]} -eq 0 ] || say "--force: removed ${#removed[@]} files of an earlier run from $outdir: ${removed[*]}"
}

# --- space -------------------------------------------------------------------------------
# The bytes a sparse image of the ext4 file system at START can take at most: its used blocks,
# as the superblock counts them (s_blocks_count - s_free_blocks_count), plus the sparse format's
# headers (28 bytes, and 12 per chunk: at most two chunks per used block); SIZE when the
# superblock cannot be read.
# An f2fs (magic 0xF2F52010 at byte 1024) is bounded by f2fs_bound.
sparse_bound() {  # START SIZE
  local w
  read -r -a w < <(od -An -v -t u4 -w352 -j $(( $1 + 1024 )) -N 352 -- "$USER" 2>/dev/null) || w=()
  if [ ${#w[@]} -ge 88 ] && [ "${w[0]}" = $(( 0xF2F52010 )) ]; then f2fs_bound "$1" "$2" "${w[@]}"; return; fi
  if [ ${#w[@]} -lt 88 ] || [ $(( w[14] & 0xFFFF )) != $(( 0xEF53 )) ]; then echo "$2"; return; fi
  local blocks=${w[1]} free=${w[3]} bs=$(( 1024 << w[6] ))
  if (( w[24] & 0x80 )); then blocks=$(( blocks + (w[84] << 32) )); free=$(( free + (w[86] << 32) )); fi
  local used=$(( blocks > free ? blocks - free : blocks ))
  local bound=$(( used * bs + 28 + 24 * used + 12 ))
  echo $(( bound < $2 ? bound : $2 ))
}

# The bytes a sparse image of the f2fs at START can take at most: every block before its main
# area (superblocks, checkpoint, SIT, NAT, SSA: main_blkaddr counts them), the valid blocks its
# checkpoint counts (valid_block_count, node blocks included; the larger of the two packs, as
# neither pack's CRC is checked here), and 8 whole segments (the current segments, 6 logs on
# Android, at most 8: NR_CURSEG_TYPE), plus the sparse headers as for ext4; SIZE when less.
# Fields (f2fs-tools include/f2fs_fs.h): the superblock's log_blocksize (byte 16),
# log_blocks_per_seg (20), cp_blkaddr (76), main_blkaddr (92); a checkpoint's valid_block_count
# (byte 16, 64 bits); the second pack one segment after the first.
f2fs_bound() {  # START SIZE SUPERBLOCK_WORDS...
  local start=$1 size=$2
  shift 2
  local w=("$@") bs per_seg cp main most=0 pack c
  bs=$(( 1 << w[4] )) per_seg=$(( 1 << w[5] )) cp=${w[19]} main=${w[23]}
  for pack in 0 1; do
    read -r -a c < <(od -An -v -t u4 -w8 -j $(( start + (cp + pack * per_seg) * bs + 16 )) -N 8 -- "$USER" 2>/dev/null) || c=()
    [ ${#c[@]} = 2 ] || { echo "$size"; return; }
    (( c[0] + (c[1] << 32) <= most )) || most=$(( c[0] + (c[1] << 32) ))
  done
  local used=$(( main + most + 8 * per_seg ))
  local bound=$(( used * bs + 28 + 24 * used + 12 ))
  echo $(( bound < size ? bound : size ))
}

# The bytes a sparse super can take at most: everything before its first extent (the metadata),
# every logical partition of gpt-list --lp whole (a partition two slots list differently counts
# twice: an upper bound), the sparse headers (at most 24 bytes per 4096-byte block); SIZE when
# that is less or the metadata cannot be read.
super_bound() {  # NAME SIZE
  local bound
  bound=$(gpt-list --lp --tsv -- "$USER" 2>/dev/null | columns super size extents 2>/dev/null |
    awk -F'\t' -v name="$1" '
      $1 != name { next }
      { total += $2; n = split($3, e, ","); for (i = 1; i <= n; i++) { split(e[i], p, "+"); if (p[1] != "-" && (first == "" || p[1] < first)) first = p[1] } }
      END { if (first == "") first = 0; b = first * 512 + total; printf "%.0f\n", b + 28 + 24 * (b / 4096 + 1) }') || bound=
  [[ $bound =~ ^[0-9]+$ ]] && [ "$bound" -lt "$2" ] && { echo "$bound"; return; }
  echo "$2"
}

# The bytes the image of a downloaded row can take at most: a raw image its partition's size, a
# sparse one sparse_bound (ext4, f2fs) or super_bound (LP metadata).
image_bound() {  # ROW TYPE START SIZE
  local form
  form=$(image_form "$1" "$2") || return
  if [ "$form" != sparse ]; then echo "$4"; return; fi
  if [ "$(partition_fields "$(source_partition "$1")" content)" = lp ]; then
    super_bound "$(source_partition "$1")" "$4"
  else
    sparse_bound "$3" "$4"
  fi
}

# The bytes the images of SCATTER need (image_bound each); the text files and state a MiB.
space_needed() {  # SCATTER
  local name type start size total=$(( 1 << 20 ))
  while IFS=$'\t' read -r name _ type; do
    read -r start size < <(image_range "$name") || return
    size=$(image_bound "$name" "$type" "$start" "$size") || return
    total=$(( total + size ))
  done < <(scatter_downloads "$OUT/$1")
  echo "$total"
}

# Exit 3 before the images are written when OUTDIR's file system has less room than they need.
outdir_check_space() {  # SCATTER
  local need avail
  need=$(space_needed "$1") || exit
  avail=$(df -B1 --output=avail -- "$outdir" 2>/dev/null | tail -n 1) || return 0
  [[ $avail =~ ^[0-9]+$ ]] || return 0
  [ "$need" -le "$avail" ] ||
    die 3 "$outdir: No space left on device: the run needs $need bytes in $outdir, $avail available"
}

# Makes OUTDIR and the stage inside it; what stops it is said in readback2fw's voice.
outdir_make_stage() {
  local err
  err=$(mkdir -p -- "$outdir" 2>&1) || die 3 "$outdir: cannot write: ${err##*: }"
  err=$(mktemp -d -- "$outdir/.readback2fw-stage.XXXXXX" 2>&1) || die 3 "$outdir: cannot write: ${err##*: }"
  stage=$err
}
