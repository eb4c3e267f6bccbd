# readback-report.bash: report.txt, part of readback-steps.bash (which sources it): what was
# produced, skipped and checked, and what BOOT2 holds.  Sourced, not run.
# shellcheck disable=SC2153,SC2154  # BOOT1, OUT, ...: the environment's; agent_dir: readback-scatter.bash's

# --- BOOT2: empty, a copy of BOOT1's preloader, or something else ------------------------
only_blank() {  # FILE: true when it holds bytes, only 0x00 and 0xFF (read up to the first other byte)
  [ -s "$1" ] && [ "$(tr -d '\000\377' < "$1" | head -c1 | wc -c)" = 0 ]
}

boot2_state() {  # PRELOADER_FILE
  [ -n "${BOOT2:-}" ] || return 0
  if only_blank "$BOOT2"; then
    echo "empty (only 0x00 and 0xFF bytes)"
  elif bl-strip -q "$BOOT2" 2>/dev/null | cmp -s - "$OUT/$1"; then
    echo "a copy of BOOT1's preloader"
  else
    echo "something else: neither empty nor BOOT1's preloader (not part of the firmware)"
  fi
}

# --- report.txt: what was produced, skipped and checked ----------------------------------
# Of scatter_rows on stdin: the downloaded images that hold this phone's own data or its user's.
phone_data() {
  local why=--download
  [ -z "${TEMPLATE:-}" ] || why="the template downloads them"
  awk -F'\t' -v why="$why" '
    $3 == "true" && ($5 == "PROTECTED" || $5 == "BINREGION") { own = own (own ? ", " : "") $2 }
    $3 == "true" && (tolower($1) == "userdata" || $1 == "USRDATA") { user = $2 }
    END {
      if (!own && !user) exit
      print "phone data in this firmware:"
      if (own) print "  " own ": this phone'"'"'s own IMEI and calibration (" why "): flash them to this phone only"
      if (user) print "  " user ": the customer'"'"'s files (apps, photos, messages, accounts) as read back"
      print ""
    }'
}

# What a restore of userdata needs besides its image (gpt-list's metadata=, metadata_source= and
# userdata_encryption= facts: ops/userdata_key.h), when the scatter (scatter_rows on stdin)
# downloads userdata.  Sources: AOSP's metadata encryption page
# (https://source.android.com/docs/security/features/encryption/metadata: the key lives on the
# /metadata partition, wrapped by the phone's keymaster/TEE, so it opens only on that phone);
# Format All erases every partition it does not download afterwards (flash_modes' sources).
userdata_key_notes() {
  local rows key from how file
  rows=$(cat)
  row_downloaded userdata <<<"$rows" || return 0
  key=$(table_fact metadata) && from=$(table_fact metadata_source) && how=$(table_fact userdata_encryption) || return
  [ -n "$from" ] || return 0
  case $from in
    rule) from="no vendor fstab was read: by rule, for an f2fs userdata, the partition MediaTek mounts at /metadata (md_udc where the layout has it, else metadata)" ;;
    fstab:*) from="from the fstab ${from#fstab:}" ;;
  esac
  case $how in
    metadata) how="userdata is encrypted (metadata encryption: its key is in $key)" ;;
    full) how="userdata is encrypted (full-disk encryption: its key is in the crypto footer${key:+ in $key})" ;;
    file) how="userdata is encrypted (file-based encryption: its keys are inside userdata, bound to this phone)" ;;
    none) how="userdata is not encrypted (the fstab's /data line names no encryption)" ;;
    *) how="userdata is taken to be encrypted (metadata encryption: its key in $key)" ;;
  esac
  echo "userdata's encryption ($from):"
  echo "  $how"
  if [ -n "$key" ]; then
    file=$(awk -F'\t' -v n="$key" '$1 == n && $3 == "true" { print $2 }' <<<"$rows")
    if [ -n "$file" ]; then
      echo "  $key is downloaded with userdata ($file): userdata comes back readable only on this same"
      echo "  phone, with its $key; on another phone, or without $key, it is random bytes"
      echo "  Format All + Download erases both userdata and $key before writing them"
    else
      echo "  WARNING: $key is not downloaded (--skip $key): userdata is restored without its key and"
      echo "  this phone cannot read it unless its $key still holds the same key"
    fi
  elif [ "$(table_fact userdata_encryption)" != none ]; then
    echo "  userdata comes back readable only on this same phone (its keys are bound to its TEE)"
    echo "  Format All + Download erases userdata before writing it"
  fi
  echo
}

# What each SP Flash Tool mode does to a partition the scatter does not download, by class.
# Sources (MT6752-era eMMC; not checked on a phone here):
# - Firmware Upgrade: MediaTek's FAQ "Download工具Firmware Upgrade升级方案和前提条件"
#   (http://ee.mweda.com/ask/245759.html): with the layout unchanged (our scatter copies the GPT)
#   PMT, BMT, OTP, the preloader and the backup region are kept and the rest is formatted; with it
#   changed NVRAM, PRO_INFO, PROTECT_F, PROTECT_S (nvram, proinfo, protect1, protect2 on GPT
#   phones) are backed up, everything is formatted and downloaded, and the four are written back.
# - Format All + Download erases everything, nvram and nvdata included (the IMEI):
#   https://gsmhelpers.com/sp-flash-tool-pgpt-partition-explain-2023/, and
#   phhusson/treble_experimentations#1012.
# - Download Only writes the downloaded images and formats nothing: with a changed layout it stops
#   with error 8038 "Please use FIRMWARE UPGRADE instead of download to avoid data loss"
#   (https://forum.hovatek.com/thread-813-post-6410.html).
# No source found says what Format All does to the RESERVED rows (flashinfo, otp, sgpt).
flash_modes() {  # (scatter_rows on stdin)
  local rows
  rows=$(cat)
  echo "what SP Flash Tool does to a partition it does not download, by mode:"
  printf '  %-20s %-14s %-25s %s\n' CLASS "DOWNLOAD ONLY" "FIRMWARE UPGRADE" "FORMAT ALL + DOWNLOAD" \
    PROTECTED/BINREGION "left as is" "kept" "erased: nvram and proinfo hold the IMEI and calibration" \
    INVISIBLE "left as is" "erased (formatted)" "erased" \
    RESERVED "left as is" "otp kept, others unknown" "unknown (no source found)"
  echo "  Firmware Upgrade keeps what MediaTek names (nvram, proinfo, protect1, protect2, otp) and"
  echo "  formats the rest.  Format All + Download writes only the downloaded images afterwards: a"
  echo "  PROTECTED/BINREGION partition survives it only when --download named it."
  # The partitions each mode writes: the downloaded rows in every mode (the preloader to the boot
  # area); what the others lose, by name, from the classes above.
  # Firmware Upgrade keeps the GPT (pgpt, sgpt: the layout is unchanged) and the kept classes;
  # what Format All does to RESERVED rows no source says.
  echo "partitions each mode writes:"
  # shellcheck disable=SC2016  # awk conditions
  name_list "  every mode:             " '$3 == "true"' <<<"$rows"
  # shellcheck disable=SC2016
  name_list "  FIRMWARE UPGRADE also erases: " '$3 == "false" && $5 == "INVISIBLE" && $1 != "pgpt" && $1 != "sgpt"' <<<"$rows"
  # shellcheck disable=SC2016
  name_list "  FORMAT ALL also erases: " '$3 == "false" && $5 != "RESERVED"' <<<"$rows"
  if grep -q $'^[^\t]*_b\t' <<<"$rows"; then
    echo "  the _b rows not downloaded keep their bytes only with Download Only; misc (the boot control"
    echo "  block) is not downloaded either: Format All erases it and the bootloader then starts"
    echo "  slot a [inferred: no source says what it does with an empty misc]."
  fi
}

# PREFIX and the names of the scatter_rows (stdin) AWK_CONDITION selects, comma-separated,
# wrapped at 100 columns under the first name; nothing when none.
name_list() {  # PREFIX AWK_CONDITION
  awk -F'\t' -v prefix="$1" '
    '"$2"' { names[++n] = $1 }
    END {
      if (!n) exit
      line = prefix; pad = sprintf("%" length(prefix) "s", "")
      for (i = 1; i <= n; i++) {
        word = names[i] (i < n ? "," : "")
        if (length(line) + length(word) + 1 > 100 && line != prefix) { print line; line = pad }
        line = line (line == prefix || line == pad ? "" : " ") word
      }
      print line
    }'
}

# The AVB facts a restore needs (MODERN.md 6), when the table has vbmeta partitions.
avb_notes() {
  local vbmeta
  vbmeta=$(table_names | awk '/^vbmeta/ { printf "%s%s", sep, $0; sep = ", " }') || return
  [ -n "$vbmeta" ] || return 0
  echo "vbmeta/AVB ($vbmeta):"
  echo "  every image keeps its partition's full size: AVB footers and hashtrees live at the end of"
  echo "  the partition (boot, dtbo, vendor_boot, ...); trimming them makes the phone refuse to boot"
  echo "  rollback indexes live in the RPMB partition, which no readback holds: they are not restored;"
  echo "  a firmware older than the phone's last update can stop at \"Your device is corrupt\" or"
  echo "  refuse to boot (anti-rollback)"
  echo
}

# "V1.1.8 xml": the config_version a scatter file states, and its form.
scatter_version_line() {  # SCATTER
  local line version=unknown format=txt text
  text=$(scatter_text "$1") || return
  line=$(grep -m1 -E 'config_version' <<<"$text") || line=""
  [[ $line =~ (V[0-9]+\.[0-9]+\.[0-9]+) ]] && version=${BASH_REMATCH[1]}
  [[ $text != "<?xml"* ]] || format=xml
  echo "$version $format"
}

step_report() {  # SCATTER PRELOADER (and PLATFORM_FROM, PROJECT_FROM from step_plan)
  local scatter=$1 pl=$2 tmp=$OUT/.report.txt.tmp total=0 name file type flashed what rows path bytes src
  local form part_size content label supers=() f2fs=0
  local -A size
  while IFS=$'\t' read -r path bytes; do size[$path]=$bytes; done < <(stat -L -c $'%n\t%s' "$BOOT1" "$USER" "$OUT"/*)
  rows=$(scatter_rows "$OUT/$scatter")
  {
    echo "mtkfw readback2fw report"
    echo
    echo "BOOT1:    ${BOOT1##*/} (${size[$BOOT1]} bytes)"
    echo "USER:     ${USER##*/} (${size[$USER]} bytes)"
    [ -z "${BOOT2:-}" ] || echo "BOOT2:    ${BOOT2##*/}: $(boot2_state "$pl")"
    echo "platform: $PLATFORM (from $PLATFORM_FROM)"
    echo "project:  $PROJECT (from $PROJECT_FROM)"
    echo "storage:  $STORAGE"
    echo "generation: $GENERATION"
    echo "scatter: $(scatter_version_line "$OUT/$scatter")"
    echo "active slot: $ACTIVE_SLOT"
    if [ "${FILE_NAMES:-}" = stock ] && [ "$ACTIVE_SLOT" != "not an A/B phone" ]; then
      echo "the _a rows' files hold slot $SLOT_USED's bytes (from $SLOT_FROM); the _b rows are not downloaded"
    fi
    echo
    echo "produced (FLASHED: bytes SP Flash Tool writes to the phone):"
    printf '  %-28s %12s %12s  %s\n' FILE BYTES FLASHED CONTENT
    bytes=${size[$OUT/$pl]}
    printf '  %-28s %12s %12s  %s\n' "$pl" "$bytes" "$bytes" "preloader: GFH image of BOOT1"
    total=$bytes
    while IFS=$'\t' read -r name file type; do
      bytes=${size[$OUT/$file]}
      src=$(source_partition "$name")
      if boot_area_range "$src" >/dev/null; then
        part_size=$bytes content=boot-area label=""
      else
        IFS=$'\t' read -r part_size content label < <(partition_fields "$src" size content label) || return
      fi
      form=$(image_form "$name" "$type") || return
      if [ "$content" = boot-area ]; then
        flashed=$bytes what="raw image of BOOT1's range"
      elif [ "$form" = raw ]; then
        flashed=$bytes what="raw image"
      else
        read_value flashed "$OUT/.mtkfw/$file.verify" flashed_bytes || return
        what="sparse ext4 image"
        [ "$content" != lp ] || what="sparse super image"
        [ "$content" != f2fs ] || what="sparse f2fs image" f2fs=1
      fi
      if [ "$src" = "$name" ]; then what+=" of $name"; else what+=" of $src, for $name (slot $SLOT_USED)"; fi
      # A sparse super: what its metadata holds (gpt-list's label) and how much of it is written.
      [ "$content" != lp ] || what+=" (${label:-LP metadata}): flashes $flashed of its $part_size bytes"
      total=$(( total + flashed ))
      [ "$content" != lp ] || supers+=("$file")
      printf '  %-28s %12s %12s  %s\n' "$file" "$bytes" "$flashed" "$what"
    done < <(downloads_of_rows <<<"$rows")
    printf '  %s\n' "$scatter" Checksum.ini partitions.tsv partitions.json report.txt
    if [ "${SPFT:-}" = v6 ]; then
      echo "  $agent_dir/flash.xml (SP Flash Tool v6 loads this file: it names $scatter)"
      if [ -n "${DA:-}" ]; then echo "  $agent_dir/DA_BR.bin, $agent_dir/flash.xsd (copied from $DA)"
      else echo "  MISSING: $agent_dir/DA_BR.bin, $agent_dir/flash.xsd (the vendor's: see the warnings)"; fi
    fi
    echo "  a flasher will write $total bytes"
    echo
    if [ -s "$OUT/.mtkfw/own-files" ]; then
      echo "stock file names kept apart:"
      sed 's/^/  /' "$OUT/.mtkfw/own-files"
      echo
    fi
    avb_notes
    phone_data <<<"$rows"
    userdata_key_notes <<<"$rows" || return
    echo "not downloaded (file_name NONE in the scatter):"
    awk -F'\t' -v skip=",${SKIP:-}," '$3 == "false" { printf "  %-16s %s%s\n", $1, $5, index(skip, "," $1 ",") ? " (skipped: --skip / SKIP=)" : "" }' <<<"$rows"
    echo
    flash_modes <<<"$rows"
    echo
    echo "warnings (said on stderr too):"
    cat "$OUT"/.mtkfw/*.warnings 2>/dev/null | sed 's/^/  /' | grep . || echo "  none"
    echo
    echo "verified:"
    if [ -n "${TEMPLATE:-}" ]; then
      echo "  USER's MBR/EBR chain matches the template row by row (gpt-list --template: every entry's"
      echo "    start and size, boot images and LK where it puts them, its MBR and EBRn rows on the tables)"
      echo "  raw images equal their template row's range of USER, byte for byte (cmp); the MBR and EBRn"
      echo "    files: the 512 bytes of each table"
    else
      echo "  raw images equal their GPT range of USER, byte for byte (cmp)"
    fi
    [ "${FILE_NAMES:-}" != stock ] || [ "${SLOT_USED:-a}" != b ] ||
      echo "    (an _a row's image: the range of its _b twin, which has the same size: slot b)"
    echo "  sparse images: every block they write equals the dump's block and every used ext4"
    echo "    block is written (ext4-sparse --verify)"
    [ "$f2fs" = 0 ] || echo "    (f2fs: every valid block by its checkpoint's SIT, and every block of its metadata areas)"
    if [ ${#supers[@]} -gt 0 ]; then
      echo "    ${supers[*]}: the same proof; its used blocks: the LP metadata and what its logical"
      echo "    partitions' extents hold (ext4 by its block bitmaps); space no extent uses is not written"
    fi
    echo "  the preloader equals the GFH range of BOOT1 (cmp)"
    checksum_line "$scatter"
    [ "${SPFT:-}" != v6 ] || echo "  $agent_dir/flash.xml: well-formed (xmllint, when installed)${DA:+, valid against the vendor flash.xsd; DA_BR.bin and flash.xsd equal those of $DA (cmp)}"
  } > "$tmp"
  _publish "$OUT/report.txt" "$tmp"
}
