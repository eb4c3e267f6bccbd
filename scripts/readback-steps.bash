# readback-steps.bash: the steps of readback2fw, one function per output file, shared by
# scripts/readback2fw (plain bash, parallel jobs) and scripts/readback.mk (make -j), so both
# write the same bytes.  Sourced, not run.
#
# Every step writes its file under a temporary name next to the final one, proves it against
# the dumps, and only then renames it: a failed or interrupted step leaves no finished-looking
# file.  Inputs come from the environment: BOOT1, USER, OUT (folder), and for some steps
# PLATFORM, PROJECT, MD5 (1 = add [CheckSum_V2]), DOWNLOAD (comma list), SKIP (comma list: never
# downloaded, e.g. a truncated USER's cut partitions), POLICY (scatter-gen --policy file), BOOT2,
# QUIET (1 = the filters' warnings are not shown, only kept).
# $OUT/.mtkfw/ keeps the working state: the plan, each sparse image's verification summary and
# each output's warnings (FILE.warnings, for the report); the caller makes it before any step runs.
#
# Every step fails on its own (no reliance on the caller's errexit): it returns the status of
# the filter that failed, its exit class (1 invalid input, 3 I/O, ...) kept, or 1 when a proof
# fails.
# shellcheck disable=SC2153  # BOOT1, PLATFORM_FROM, ...: the inputs above, from the environment

step_die() { echo "readback2fw: error: $*" >&2; return 1; }

# --- a filter's failure, said in readback2fw's voice -------------------------------------
# The user ran readback2fw, not the filter: only the filter's "TOOL: error:" lines are said again.
# Its hints name its own flags, so a hint is passed on only when readback2fw has every flag it
# names and hands that flag to the filter unchanged.
flags_passed_to() {  # TOOL: the readback2fw options given to TOOL as they are
  case $1 in
    scatter-gen) echo --platform --project --download --policy --skip ;;
    fw-checksum) echo --md5 ;;
  esac
}

hint_fits() {  # TOOL HINT: true when readback2fw has every flag HINT names
  local passed rest=$2 flag
  passed=" $(flags_passed_to "$1") "
  while [[ $rest =~ (^|[^[:alnum:]-])(-{1,2}[[:alpha:]][[:alnum:]-]*) ]]; do
    flag=${BASH_REMATCH[2]}
    [[ $passed == *" $flag "* ]] || return 1
    rest=${rest#*"${BASH_REMATCH[0]}"}
  done
}

relay_failure() {  # TOOL STATUS STDERR: says why TOOL failed; returns STATUS (4 when not a class)
  local tool=$1 status=$2 line errors=() hints=()
  # Interrupted (SIGHUP, SIGINT, SIGTERM: a Ctrl-C reaches the whole group): the caller says so.
  case $status in 129|130|143) return "$status" ;; esac
  while IFS= read -r line; do
    case $line in
      "$tool: error: "*) errors+=("${line#"$tool: error: "}") ;;
      "$tool: hint: "*) ! hint_fits "$tool" "${line#"$tool: hint: "}" || hints+=("${line#"$tool: hint: "}") ;;
    esac
  done <<<"$3"
  # A crash or a signal says nothing: said here.  Neither is an exit class: an internal error.
  [ ${#errors[@]} -gt 0 ] || errors=("$tool failed with exit status $status")
  [ "$status" -ge 1 ] && [ "$status" -le 4 ] || status=4
  printf 'readback2fw: error: %s\n' "${errors[@]}" >&2
  [ ${#hints[@]} -eq 0 ] || printf 'readback2fw: hint: %s\n' "${hints[@]}" >&2
  return "$status"
}

# Says a line of a successful filter (unless QUIET=1) and keeps a warning or a hint in the file
# $WARNINGS when the step names one (the report lists them).
say_kept() {  # LINE
  [ "${QUIET:-0}" = 1 ] || printf '%s\n' "$1" >&2
  case $1 in *": warning: "*|*": hint: "*) [ -z "${WARNINGS:-}" ] || printf '%s\n' "$1" >> "$WARNINGS" ;; esac
}

# Runs a filter: its output as it is, its warnings as they are (its hints only when they fit
# readback2fw's options), its failure relayed.
run_filter() {  # TOOL ARG...
  local err status=0
  { err=$("$@" 2>&1 >&3 3>&-); } 3>&1 || status=$?
  if [ "$status" = 0 ]; then
    local line
    while IFS= read -r line; do   # warnings as they are; a hint only when it fits readback2fw
      case $line in
        "$1: hint: "*) ! hint_fits "$1" "${line#"$1: hint: "}" || say_kept "readback2fw: hint: ${line#"$1: hint: "}" ;;
        *) say_kept "$line" ;;
      esac
    done < <(printf '%s' "${err:+$err$'\n'}")
    return 0
  fi
  relay_failure "$1" "$status" "$err"
}

# A proof's status: 0 passed, 1 failed; a proof killed by a signal (128+N) is no verdict: its
# status is returned as it is, so that the caller passes it on instead of calling it a mismatch.
proof_verdict() {  # STATUS
  [ "$1" -le 128 ] || return "$1"
}

# --- fields by name ------------------------------------------------------------------------
# The named columns of a tab-separated table on stdin whose first line (after "#" lines) names its
# columns: gpt-list --tsv, scatter-gen --list.  Prints them tab-separated, in the order asked.
columns() {  # NAME...
  awk -F'\t' -v want="$*" '
    /^#/ && !header { next }
    !header {
      header = 1; n = split(want, w, " ")
      for (i = 1; i <= NF; i++) at[$i] = i
      for (i = 1; i <= n; i++) if (!(w[i] in at)) {
        print "readback2fw: error: no column " w[i] " in the header line (filters of another mtkfw version?)" > "/dev/stderr"; exit 4
      }
      next
    }
    { line = $at[w[1]]; for (i = 2; i <= n; i++) line = line "\t" $at[w[i]]; print line }'
}

# The value of KEY in the table's "# mtkfw-table 1 KEY=VALUE ..." line; empty when absent.
table_fact() {  # KEY [TABLE_FILE] (default: $OUT/partitions.tsv)
  local words=() word table=${2:-$OUT/partitions.tsv}
  read -r -a words < "$table" || :   # an unreadable table fails the check below
  [ "${words[*]:0:3}" = "# mtkfw-table 1" ] || { step_die "$table: not a version-1 mtkfw table"; return; }
  for word in "${words[@]:3}"; do
    [ "${word%%=*}" != "$1" ] || { echo "${word#*=}"; return 0; }
  done
}

# Gives a proven temporary its final name.
_publish() {  # FINAL TMP
  mv -f "$2" "$1"
}

# --- the partition table (gpt-list) ------------------------------------------------------
step_table() {  # tsv|json
  run_filter gpt-list -q "--$1" -o "$OUT/partitions.$1" "$USER"
}

# Platform and project, from the options, the table (build.prop) or the preloader's name.
# Prints assignments of PLATFORM PROJECT PRELOADER SCATTER PLATFORM_FROM PROJECT_FROM, for the
# shell (eval) or, with "make", for make (include).
step_plan() {  # [sh|make]
  local platform=${PLATFORM:-} project=${PROJECT:-} pl_name platform_from=--platform project_from=--project
  pl_name=$(run_filter bl-strip --name "$BOOT1") || return
  if [ -z "$platform" ]; then
    platform=$(table_fact platform) || return
    platform_from="build.prop in the system partition"
    [ -n "$platform" ] || step_die "cannot find the platform (no build.prop with ro.mediatek.platform or ro.board.platform in the system partition); give --platform MTxxxx" || return
  fi
  platform=${platform^^}
  if [ -z "$project" ]; then
    # bl-strip reads the project out of the preloader's name the way scatter-gen does (one rule).
    project=$(run_filter bl-strip -q --project "$BOOT1") || {
      local status=$?
      [ "$status" != 1 ] || echo "readback2fw: hint: give --project NAME" >&2
      return "$status"
    }
    project_from="the preloader's file name"
  fi
  local var value
  for var in PLATFORM PROJECT PRELOADER SCATTER PLATFORM_FROM PROJECT_FROM; do
    case $var in
      PLATFORM) value=$platform ;; PROJECT) value=$project ;; PRELOADER) value=$pl_name ;;
      SCATTER) value=${platform}_Android_scatter.txt ;;
      PLATFORM_FROM) value=$platform_from ;; PROJECT_FROM) value=$project_from ;;
    esac
    if [ "${1:-sh}" = make ]; then printf 'override %s := %s\n' "$var" "$value"; else printf '%s=%q\n' "$var" "$value"; fi
  done
}

# --- the preloader (bl-strip), proven equal to BOOT1's GFH range -------------------------
step_preloader() {  # FILE
  local final=$OUT/$1 tmp=$OUT/.$1.tmp range offset len
  run_filter bl-strip -q -o "$tmp" "$BOOT1" || return
  range=$(run_filter bl-strip --range "$BOOT1") || { local status=$?; rm -f "$tmp"; return "$status"; }
  read -r offset len <<<"$range"
  local status=0
  [ "$(stat -c %s "$tmp")" = "$len" ] && cmp -s -i "0:$offset" -n "$len" "$tmp" "$BOOT1" || status=$?
  if [ "$status" != 0 ]; then
    rm -f "$tmp"; proof_verdict "$status" || return
    step_die "$1: does not equal the GFH range of $BOOT1 ($len bytes at $offset)"; return
  fi
  _publish "$final" "$tmp"
}

# --- the scatter file (scatter-gen) ------------------------------------------------------
# Not quiet: its warnings (a partition no rule knows, a file system written raw, --download's
# phone data) are said and kept for the report.  A partition written raw at full size can be
# left out: that is readback2fw's --skip, said as a hint.
step_scatter() {  # FILE PRELOADER
  local WARNINGS=$OUT/.mtkfw/$1.warnings said line
  : > "$WARNINGS" || return 3
  run_filter scatter-gen --platform "$PLATFORM" --project "$PROJECT" --preloader "$OUT/$2" \
    ${POLICY:+--policy "$POLICY"} \
    ${DOWNLOAD:+--download "$DOWNLOAD"} ${SKIP:+--skip "$SKIP"} -o "$OUT/$1" "$OUT/partitions.tsv" || return
  mapfile -t said < "$WARNINGS"
  for line in "${said[@]}"; do
    [[ $line =~ ^scatter-gen:\ warning:\ ([^:]+):\ .*written\ raw\ at\ full\ size ]] || continue
    say_kept "readback2fw: hint: to build without ${BASH_REMATCH[1]}, give --skip ${BASH_REMATCH[1]} (it stays in the scatter, not downloaded)"
  done
}

# The rows of a scatter, read by our one scatter parser: name, file, is_download, type, operation.
scatter_rows() {  # SCATTER
  local list
  list=$(run_filter scatter-gen --list "$1") || return
  columns name file_name is_download type operation_type <<<"$list"
}

# Of scatter_rows on stdin, the downloaded ones but the preloader: "name<TAB>file<TAB>type",
# one file once.
downloads_of_rows() {
  awk -F'\t' '$3 == "true" && $4 != "SV5_BL_BIN" && !seen[$2]++ { print $1 "\t" $2 "\t" $4 }'
}

scatter_downloads() {  # SCATTER
  scatter_rows "$1" | downloads_of_rows
}

# START SIZE of a partition, in bytes, from the table.
partition_range() {  # NAME
  local rows name start size
  rows=$(columns name start size < "$OUT/partitions.tsv") || return
  while IFS=$'\t' read -r name start size; do
    [ "$name" != "$1" ] || { echo "$start $size"; return 0; }
  done <<<"$rows"
  step_die "no partition $1 in $OUT/partitions.tsv"
}

# The value of KEY in a key=value file (ext4-sparse --verify's summary), into the variable VAR.
read_value() {  # VAR FILE KEY
  local k v
  while IFS='=' read -r k v; do [ "$k" = "$3" ] && { printf -v "$1" %s "$v"; return 0; }; done < "$2"
  step_die "$2: no $3"
}

# --- one image (part-cut or ext4-sparse), proven against the dump ------------------------
step_image() {  # NAME FILE TYPE
  local name=$1 file=$2 type=$3 start size tmp=$OUT/.$2.tmp
  read -r start size < <(partition_range "$name") || return
  case $type in
    EXT4_IMG)
      run_filter ext4-sparse -q --offset "$start" --size "$size" -o "$tmp" "$USER" || return
      # -o, not a redirection: a full disk is then said of the summary file, by name.
      run_filter ext4-sparse -q --verify "$tmp" --offset "$start" --size "$size" -o "$OUT/.mtkfw/$file.verify" "$USER" || {
        local status=$?
        rm -f "$tmp" "$OUT/.mtkfw/$file.verify"
        # Only a verdict is a mismatch: a killed or failing --verify said its own words (relay).
        [ "$status" != 1 ] || step_die "$file: does not match partition $name of $USER"
        return "$status"
      }
      ;;
    *)
      run_filter part-cut -q --offset "$start" --size "$size" -o "$tmp" "$USER" || return
      local status=0
      [ "$(stat -c %s "$tmp")" = "$size" ] && cmp -s -i "0:$start" -n "$size" "$tmp" "$USER" || status=$?
      if [ "$status" != 0 ]; then
        rm -f "$tmp"; proof_verdict "$status" || return
        step_die "$file: does not equal partition $name of $USER"; return
      fi
      ;;
  esac
  _publish "$OUT/$file" "$tmp"
}

# --- Checksum.ini (fw-checksum), checked with fw-checksum -c -----------------------------
step_checksum() {  # SCATTER
  local tmp=$OUT/.Checksum.ini.tmp with_md5=()
  [ "${MD5:-0}" != 1 ] || with_md5=(--md5)
  run_filter fw-checksum -q "${with_md5[@]}" -o "$tmp" "$OUT/$1" || return
  # -c reads Checksum.ini next to the scatter: check the temporary under a scratch name.
  run_filter fw-checksum -q -c "$tmp" "$OUT/$1" >/dev/null || {
    local status=$?
    rm -f "$tmp"
    [ "$status" != 1 ] || step_die "Checksum.ini: fw-checksum -c does not pass"
    return "$status"
  }
  _publish "$OUT/Checksum.ini" "$tmp"
}

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
  awk -F'\t' '
    $3 == "true" && ($5 == "PROTECTED" || $5 == "BINREGION") { own = own (own ? ", " : "") $2 }
    $3 == "true" && $1 == "userdata" { user = $2 }
    END {
      if (!own && !user) exit
      print "phone data in this firmware:"
      if (own) print "  " own ": this phone'"'"'s own IMEI and calibration (--download): flash them to this phone only"
      if (user) print "  " user ": the customer'"'"'s files (apps, photos, messages, accounts) as read back"
      print ""
    }'
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
flash_modes() {
  echo "what SP Flash Tool does to a partition it does not download, by mode:"
  printf '  %-20s %-14s %-25s %s\n' CLASS "DOWNLOAD ONLY" "FIRMWARE UPGRADE" "FORMAT ALL + DOWNLOAD" \
    PROTECTED/BINREGION "left as is" "kept" "erased: nvram and proinfo hold the IMEI and calibration" \
    INVISIBLE "left as is" "erased (formatted)" "erased" \
    RESERVED "left as is" "otp kept, others unknown" "unknown (no source found)"
  echo "  Firmware Upgrade keeps what MediaTek names (nvram, proinfo, protect1, protect2, otp) and"
  echo "  formats the rest.  Format All + Download writes only the downloaded images afterwards: a"
  echo "  PROTECTED/BINREGION partition survives it only when --download named it."
}

step_report() {  # SCATTER PRELOADER (and PLATFORM_FROM, PROJECT_FROM from step_plan)
  local scatter=$1 pl=$2 tmp=$OUT/.report.txt.tmp total=0 name file type flashed what rows path bytes
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
    echo
    echo "produced (FLASHED: bytes SP Flash Tool writes to the phone):"
    printf '  %-28s %12s %12s  %s\n' FILE BYTES FLASHED CONTENT
    bytes=${size[$OUT/$pl]}
    printf '  %-28s %12s %12s  %s\n' "$pl" "$bytes" "$bytes" "preloader: GFH image of BOOT1"
    total=$bytes
    while IFS=$'\t' read -r name file type; do
      bytes=${size[$OUT/$file]}
      if [ "$type" = EXT4_IMG ]; then
        read_value flashed "$OUT/.mtkfw/$file.verify" flashed_bytes
        what="sparse ext4 image of $name"
      else
        flashed=$bytes
        what="raw image of $name"
      fi
      total=$(( total + flashed ))
      printf '  %-28s %12s %12s  %s\n' "$file" "$bytes" "$flashed" "$what"
    done < <(downloads_of_rows <<<"$rows")
    printf '  %s\n' "$scatter" Checksum.ini partitions.tsv partitions.json report.txt
    echo "  a flasher will write $total bytes"
    echo
    phone_data <<<"$rows"
    echo "not downloaded (file_name NONE in the scatter):"
    awk -F'\t' -v skip=",${SKIP:-}," '$3 == "false" { printf "  %-16s %s%s\n", $1, $5, index(skip, "," $1 ",") ? " (skipped: --skip / SKIP=)" : "" }' <<<"$rows"
    echo
    flash_modes
    echo
    echo "warnings (said on stderr too):"
    cat "$OUT"/.mtkfw/*.warnings 2>/dev/null | sed 's/^/  /' | grep . || echo "  none"
    echo
    echo "verified:"
    echo "  raw images equal their GPT range of USER, byte for byte (cmp)"
    echo "  sparse images: every block they write equals the dump's block and every used ext4"
    echo "    block is written (ext4-sparse --verify)"
    echo "  the preloader equals the GFH range of BOOT1 (cmp)"
    echo "  Checksum.ini: fw-checksum -c passes"
  } > "$tmp"
  _publish "$OUT/report.txt" "$tmp"
}

# --- readback.mk's bookkeeping: inputs, proven files, publishing ---------------------------
# readback.mk builds in a stage folder ($OUT of the steps) inside its state folder $MTKFW_STATE
# and links the proven files into the user's folder only when all of them are there.

# An input the steps can read; "missing" told from "not allowed" (test -e says "missing" for
# both when a folder on the way cannot be entered); the shell's message ends in strerror.
input_readable() {  # FILE: 3 when it cannot be read, 1 when it is a folder
  local err
  err=$( { : <"$1"; } 2>&1 ) || { step_die "$1: ${err##*: }"; return 3; }
  [ ! -d "$1" ] || step_die "$1: is a directory"
}

# A path about to be written that is an input (by name, symlink or hard link) would destroy it.
not_an_input() {  # PATH...: fails naming the first PATH that is the same file as BOOT1, USER or BOOT2
  local path dump
  for path; do
    for dump in "$BOOT1" "$USER" ${BOOT2:+"$BOOT2"}; do
      [ ! "$path" -ef "$dump" ] ||
        { step_die "$path: is the input $dump (the same file): it would be overwritten; move the dump out of the way or give another OUT"; return; }
    done
  done
}

# A proven file's identity.  The change time cannot be set back by a user (touch -r, cp -p can
# only set the modification time): any write, touch, link or replacement shows.
file_identity() {  # FILE
  stat -c '%i %s %.9Y %.9Z' -- "$1" 2>/dev/null
}

stamp_of() {  # FILE: where its identity, taken right after its proof, is kept
  echo "$MTKFW_STATE/proven/${1##*/}"
}

stamp_proven() {  # FILE...: records each FILE as the bytes just proven
  local file
  mkdir -p "$MTKFW_STATE/proven" || return 3
  for file; do file_identity "$file" > "$(stamp_of "$file")" || return 3; done
}

is_proven() {  # FILE: still the file its step proved
  local now was
  now=$(file_identity "$1") || return 1
  read -r was 2>/dev/null < "$(stamp_of "$1")" || return 1
  [ "$now" = "$was" ]
}

unproven() {  # FILE...: prints each FILE that changed (or went) since its step proved it
  local file
  for file; do is_proven "$file" || printf '%s\n' "$file"; done
}

stamps_hold() {  # FILE...: fails naming a FILE that changed since it was proven
  local file
  for file; do
    is_proven "$file" || { step_die "$file: changed since it was checked against the dumps; run make again to make it anew"; return; }
  done
}

# Links each proven stage file NAME into DEST.  DEST stops being a firmware (its scatter goes)
# before its first file changes, and becomes one again only when the scatter, last, is in place.
# The scatter is a copy: taking it out of DEST must not touch the stage's file (removing a link
# changes the change time of the file).
publish_files() {  # DEST SCATTER NAME...
  local dest=$1 scatter=$2 name todo=() last=() relink=()
  shift 2
  for name; do
    stamps_hold "$OUT/$name" || return
    case $name in
      "$scatter") cmp -s -- "$dest/$name" "$OUT/$name" || last+=("$name") ;;
      Checksum.ini) [ "$dest/$name" -ef "$OUT/$name" ] || relink+=("$name") ;;
      *) [ "$dest/$name" -ef "$OUT/$name" ] || todo+=("$name") ;;
    esac
  done
  todo+=("${relink[@]}")   # Checksum.ini after the files it lists
  [ ${#todo[@]} -gt 0 ] || [ ${#last[@]} -gt 0 ] || return 0   # DEST holds these very files
  [ ${#todo[@]} -eq 0 ] || [[ " $* " != *" $scatter "* ]] || last=("$scatter")
  not_an_input "${todo[@]/#/$dest/}" "${last[@]/#/$dest/}" || return
  mkdir -p -- "$dest" && rm -f -- "$dest/$scatter" || return 3
  for name in "${todo[@]}"; do
    place "$OUT/$name" "$dest/$name" link || return
    stamp_proven "$OUT/$name" || return   # a link changes the change time
  done
  for name in "${last[@]}"; do place "$OUT/$name" "$dest/$name" copy || return; done
}

# FROM under the name TO, by a temporary beside TO: a hard link (a copy across file systems)
# or a copy.
place() {  # FROM TO link|copy
  local tmp=${2%/*}/.${2##*/}.tmp
  if { [ "$3" = link ] && ln -f -- "$1" "$tmp" 2>/dev/null; } || cp --reflink=auto -- "$1" "$tmp"; then
    _publish "$2" "$tmp" && return 0
  fi
  rm -f -- "$tmp"
  step_die "$2: cannot be written"
  return 3
}
