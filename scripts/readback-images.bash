# readback-images.bash: the preloader and the partition images, part of readback-steps.bash
# (which sources it), each proven against the dump it was cut from, and Checksum.ini from the
# digests those proofs kept.  Sourced, not run.
# shellcheck disable=SC2153  # BOOT1, OUT, STORAGE, ...: readback-steps.bash's inputs, from the environment

# --- the preloader (bl-strip), proven equal to BOOT1's GFH range -------------------------
step_preloader() {  # FILE
  local final=$OUT/$1 tmp=$OUT/.$1.tmp range offset len
  run_filter bl-strip -q -o "$tmp" "$BOOT1" || return
  range=$(run_filter bl-strip --range "$BOOT1") || { local status=$?; rm -f "$tmp"; return "$status"; }
  read -r offset len <<<"$range"
  local status=0
  [ "$(stat -c %s "$tmp")" = "$len" ] && prove_reading "$1" "$tmp" cmp -s -i "0:$offset" -n "$len" - "$BOOT1" || status=$?
  if [ "$status" != 0 ]; then
    rm -f "$tmp"; proof_verdict "$status" || return
    step_die "$1: does not equal the GFH range of $BOOT1 ($len bytes at $offset)"; return
  fi
  _publish "$final" "$tmp"
}

# START SIZE of the bytes NAME's image holds, in image_dump NAME: its partition, but for a legacy
# MBR/EBR table's MBR and EBRn rows the 512 bytes of that table (ptgen's MBR and EBRn files:
# MODERN.md 5.1) and for a template's boot-area row its range of BOOT1.
image_range() {  # NAME
  local start size
  if boot_area_range "$1"; then return 0; fi
  read -r start size < <(partition_range "$1") || return
  ! is_table_row "$1" || size=512
  echo "$start $size"
}

# The dump NAME's image is cut from: BOOT1 for a template's boot-area row, else USER.
image_dump() {  # NAME
  if boot_area_range "$1" >/dev/null; then echo "$BOOT1"; else echo "$USER"; fi
}

# How the image of a downloaded row is written: "sparse" (ext4-sparse, proven by ext4-sparse
# --verify) for an EXT4_IMG row (ext4, or f2fs: scatter-gen types an f2fs userdata EXT4_IMG as
# stock does, ext4-sparse writes its valid blocks) and for a partition holding LP metadata (gpt-list's content
# "lp": super, whose row stays NORMAL_ROM as stock has it, SP Flash Tool taking a sparse file by
# its magic: MODERN.md 1.7; ext4-sparse finds the metadata itself); "raw" (part-cut, cmp) else.
# A legacy V1.1.1 scatter types its ext4 rows YAFFS_IMG (ptgen: MODERN.md 5.1) and stock MT65xx
# packages ship them sparse under that type: an ext4 YAFFS_IMG row is "sparse" too.
image_form() {  # ROW TYPE
  local content
  ! boot_area_range "$1" >/dev/null || { echo raw; return 0; }
  [ "$2" != EXT4_IMG ] || { echo sparse; return 0; }
  content=$(partition_fields "$(source_partition "$1")" content) || return
  if [ "$content" = lp ] || { [ "$2" = YAFFS_IMG ] && [ "$content" = ext4 ]; }; then echo sparse; else echo raw; fi
}

# The value of KEY in a key=value file (ext4-sparse --verify's summary), into the variable VAR.
read_value() {  # VAR FILE KEY
  local lines line
  # mapfile reads the file once (a read loop on a file reads its rest again at every line).
  mapfile -t lines < "$2" || { step_die "$2: cannot read it"; return 3; }
  for line in "${lines[@]}"; do
    [ "${line%%=*}" != "$3" ] || { printf -v "$1" %s "${line#*=}"; return 0; }
  done
  step_die "$2: no $3"
}

# --- one image (part-cut or ext4-sparse), proven against the dump ------------------------
# One reader of a dump at a time: the filter that reads a partition out of it holds the dump's
# lock (flock(1) on a read-only descriptor of the dump itself: advisory, nothing is written; it
# also spans two runs on one dump).  With -j N the other jobs prove and checksum what was just
# read (CPU, pages in the page cache) beside that one reader instead of N readers seeking one
# disk; a second reader did not measurably help on a 30 GiB readback (issue 18,
# tests/bench/RESULTS.md).  Without flock the filter runs unlocked.
one_reader() {  # DUMP CMD...: CMD holding DUMP's reader lock; CMD's status
  local dump=$1
  shift
  if ! command -v flock >/dev/null; then "$@"; return; fi
  { flock 9 || :; "$@"; } 9< "$dump"
}

step_image() {  # NAME FILE TYPE
  local row=$1 name file=$2 type=$3 start size tmp=$OUT/.$2.tmp dump
  name=$(source_partition "$row")
  read -r start size < <(image_range "$name") || return
  dump=$(image_dump "$name")
  if [ "$name" != "$row" ]; then
    # The _b bytes go to the _a row: they must fill it exactly (AVB footers sit at the end).
    local row_size
    read -r _ row_size < <(partition_range "$row") || return
    [ "$row_size" = "$size" ] ||
      { step_die "$file: $name is $size bytes, $row $row_size: slot b's bytes do not fit the _a row (use --slot a or --file-names partition)"; return 1; }
  fi
  local form
  form=$(image_form "$row" "$type") || return
  case $form in
    sparse)
      # No fallback to a raw image: a super whose metadata ext4-sparse cannot read fails the
      # run in its words, as a damaged ext4 does.
      one_reader "$USER" run_filter ext4-sparse -q --offset "$start" --size "$size" -o "$tmp" "$USER" || {
        local status=$?
        rm -f "$tmp"
        # step_die's status is the failure already said: the hint follows it.
        [ "$status" != 1 ] || step_die "$file: partition $name of $USER cannot be written as a sparse image" ||
          skip_hint "$row" >&2
        return "$status"
      }
      # -o, not a redirection: a full disk is then said of the summary file, by name.  --record:
      # Checksum.ini's digests of the image from the proof's own read (prove_reading's, for a file
      # ext4-sparse maps instead of reading it through a pipe).
      local with_md5=() record=$OUT/.mtkfw/$file.digests
      [ "${MD5:-0}" != 1 ] || with_md5=(--md5)
      rm -f "$record"
      run_filter ext4-sparse -q --verify "$tmp" --record "$record" "${with_md5[@]}" --offset "$start" --size "$size" \
        -o "$OUT/.mtkfw/$file.verify" "$USER" || {
        local status=$?
        rm -f "$tmp" "$OUT/.mtkfw/$file.verify" "$record"
        # Only a verdict is a mismatch: a killed or failing --verify said its own words (relay).
        [ "$status" != 1 ] || step_die "$file: does not match partition $name of $USER"
        return "$status"
      }
      ;;
    *)
      one_reader "$dump" run_filter part-cut -q --offset "$start" --size "$size" -o "$tmp" "$dump" || return
      local status=0
      [ "$(stat -c %s "$tmp")" = "$size" ] && prove_reading "$file" "$tmp" cmp -s -i "0:$start" -n "$size" - "$dump" || status=$?
      if [ "$status" != 0 ]; then
        rm -f "$tmp"; proof_verdict "$status" || return
        step_die "$file: does not equal partition $name of $dump"; return
      fi
      ;;
  esac
  _publish "$OUT/$file" "$tmp"
}

# --- Checksum.ini (fw-checksum), from the digests the proofs kept ---------------------------
# Each image's proof read it once and kept its digests (prove_reading): Checksum.ini is written
# from them without reading the images again.  When a record is missing (or has no MD5 and MD5=1
# asks for one: readback.mk keeps images made before MD5=1) fw-checksum reads the images itself.
# With CHECK_CHECKSUMS=1 fw-checksum -c checks the result against the images, read once more.
# The report says which ran (checksum_line asks the same questions: readback2fw writes the report
# beside this step, and publishes neither unless both pass).
records_cover() {  # SCATTER
  local file record
  while IFS= read -r file; do
    record=$OUT/.mtkfw/$file.digests
    [ -f "$record" ] || return 1
    [ "${MD5:-0}" != 1 ] || grep -q '^md5=' "$record" || return 1
  done < <(scatter_rows "$OUT/$1" | awk -F'\t' '$3 == "true" && $2 != "" && toupper($2) != "NONE" && !seen[$2]++ { print $2 }')
}

step_checksum() {  # SCATTER
  local tmp=$OUT/.Checksum.ini.tmp with_md5=() section=() sections records=()
  [ "${MD5:-0}" != 1 ] || with_md5=(--md5)
  # A V2.x scatter: the lines of the dumps' storage section only (one line per downloaded row
  # of one section, as stock Checksum.ini files have: MODERN.md 4).
  sections=$(scatter_sections "$OUT/$1") || return
  [ -z "$sections" ] || section=(--storage "${STORAGE^^}")
  ! records_cover "$1" || records=(--records "$OUT/.mtkfw")
  run_filter fw-checksum -q "${with_md5[@]}" "${section[@]}" "${records[@]}" -o "$tmp" "$OUT/$1" || return
  if [ "${CHECK_CHECKSUMS:-0}" = 1 ]; then
    # -c reads Checksum.ini next to the scatter: check the temporary under a scratch name.
    run_filter fw-checksum -q -c "$tmp" "${section[@]}" "$OUT/$1" >/dev/null || {
      local status=$?
      rm -f "$tmp"
      [ "$status" != 1 ] || step_die "Checksum.ini: fw-checksum -c does not pass"
      return "$status"
    }
  fi
  _publish "$OUT/Checksum.ini" "$tmp"
}

# The report's line on Checksum.ini: how its values were taken, and whether -c ran.
checksum_line() {  # SCATTER
  if records_cover "$1"; then
    echo "  Checksum.ini: each value taken of the image's bytes as its proof read them (fw-checksum --record), no second read"
  else
    echo "  Checksum.ini: fw-checksum read every image for its values"
  fi
  if [ "${CHECK_CHECKSUMS:-0}" = 1 ]; then echo "    and fw-checksum -c passes: every image read once more against it (--check-checksums)"
  else echo "    (fw-checksum -c not run: --check-checksums (CHECK_CHECKSUMS=1) runs it, as fw-checksum -c Checksum.ini in the folder does)"; fi
}
