# readback-steps.bash: the steps of readback2fw, one function per output file, shared by
# scripts/readback2fw (plain bash, parallel jobs) and scripts/readback.mk (make -j), so both
# write the same bytes.  Sourced, not run.
#
# Every step writes its file under a temporary name next to the final one, proves it against
# the dumps, and only then renames it: a failed or interrupted step leaves no finished-looking
# file.  Inputs come from the environment: BOOT1, USER, OUT (folder), and for some steps
# PLATFORM, PROJECT, MD5 (1 = add [CheckSum_V2]), DOWNLOAD (comma list), SKIP (comma list: never
# downloaded, e.g. a truncated USER's cut partitions), POLICY (scatter-gen --policy file), BOOT2,
# QUIET (1 = the filters' warnings are not shown, only kept), and the modern settings
# (check_settings): FILE_NAMES, USE_SLOT, SCATTER_VERSION, SCATTER_FORMAT, SPFT, DA; TEMPLATE, a
# stock V1.1.1 scatter that names a legacy MT65xx USER's MBR/EBR partitions (legacy_plan).
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
    scatter-gen) echo --platform --project --download --policy --skip --file-names --scatter-version --format ;;
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

# Runs PROOF... (cmp, for the raw images and the preloader) with FILE on its standard input,
# FILE read once: fw-checksum --record --copy reads it, keeps the digests Checksum.ini needs
# (step_checksum: fw-checksum --records) and hands the same bytes on through the pipe, so that
# no step reads FILE again.  (A sparse image's proof, ext4-sparse --verify --record, keeps its
# record itself, from the file it maps.)  NAME is the file's name in the folder (its record:
# .mtkfw/NAME.digests).  Returns the proof's status (proof_verdict's rules: the caller says what
# a mismatch means); a record that could not be made is fw-checksum's status, its words relayed.
# A proof that failed leaves no record and says nothing of it.
prove_reading() {  # NAME FILE PROOF...
  local name=$1 file=$2 record=$OUT/.mtkfw/$1.digests with_md5=() statuses err
  shift 2
  [ "${MD5:-0}" != 1 ] || with_md5=(--md5)
  rm -f "$record"
  fw-checksum -q "${with_md5[@]}" --record --copy -o "$record" "$file" 2> "$record.err" | "$@"
  statuses=("${PIPESTATUS[@]}")
  err=$(cat "$record.err" 2>/dev/null); rm -f "$record.err"
  [ "${statuses[1]}" = 0 ] || { rm -f "$record"; return "${statuses[1]}"; }
  # The proof passed: a copy that did not end well (SIGPIPE would mean the proof stopped early,
  # which cmp -n of a file of that size cannot) is fw-checksum's failure, relayed.
  [ "${statuses[0]}" = 0 ] || { rm -f "$record"; relay_failure fw-checksum "${statuses[0]}" "$err"; }
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

# The run's table, $OUT/partitions.tsv, is asked hundreds of questions: its text is read once
# per shell, by step_table or when this file is sourced (each readback.mk recipe), and asked from
# memory (TABLE_TSV), so the published file is not read back at every question (issue 18: an
# output byte is read back at most once).
load_table() { TABLE_TSV=$(<"$OUT/partitions.tsv") || return 3; }
if [ -n "${OUT:-}" ] && [ -f "$OUT/partitions.tsv" ]; then load_table; fi
table_tsv() {  # prints the run's table
  if [ -n "${TABLE_TSV+set}" ]; then printf '%s\n' "$TABLE_TSV"; else cat "$OUT/partitions.tsv"; fi
}

# The value of KEY in the table's "# mtkfw-table 1 KEY=VALUE ..." line; empty when absent.
table_fact() {  # KEY [TABLE_FILE] (default: the run's table)
  local words=() word table=${2:-$OUT/partitions.tsv}
  if [ -n "${2:-}" ]; then read -r -a words < "$2" || :; else read -r -a words < <(table_tsv) || :; fi
  # (an unreadable table fails the check below)
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
  run_filter gpt-list -q "--$1" ${TEMPLATE:+--template "$TEMPLATE"} -o "$OUT/partitions.$1" "$USER" || return
  [ "$1" != tsv ] || load_table
}

# --- the modern settings, checked before anything is read -----------------------------------
# FILE_NAMES partition|stock (empty: scatter-gen's default, partition), USE_SLOT a|b|active
# (stock names: which slot's bytes the _a rows' files hold), SCATTER_VERSION, SCATTER_FORMAT
# txt|xml, SPFT v5|v6, DA (the vendor's download_agent files for v6).  Misuse is a usage
# error (status 2); a DA folder without the vendor's files is invalid input (status 1).
# The names said are readback2fw's options, with readback.mk's variable after them.
check_settings() {
  case ${FILE_NAMES:-} in
    ''|partition|stock) ;;
    *) step_die "--file-names (FILE_NAMES=): expected partition or stock, got '$FILE_NAMES'"; return 2 ;;
  esac
  case ${USE_SLOT:-} in
    ''|active) ;;
    a|b) [ "${FILE_NAMES:-}" = stock ] ||
           { step_die "--slot $USE_SLOT (SLOT=): only with --file-names stock: partition names give each slot its own image, from its own bytes"; return 2; } ;;
    *) step_die "--slot (SLOT=): expected a, b or active, got '$USE_SLOT'"; return 2 ;;
  esac
  case ${SCATTER_FORMAT:-} in
    ''|txt|xml) ;;
    *) step_die "--format (FORMAT=): expected txt or xml, got '$SCATTER_FORMAT'"; return 2 ;;
  esac
  [[ ${SCATTER_VERSION:-V0.0.0} =~ ^V[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    { step_die "--scatter-version (SCATTER_VERSION=): expected a config_version such as V1.1.2, V1.1.8 or V2.1.0, got '$SCATTER_VERSION'"; return 2; }
  case ${SPFT:-} in
    ''|v5) [ -z "${DA:-}" ] || { step_die "--da (DA=): only with --spft v6 (SPFT=v6): SP Flash Tool v5 takes its DA from its own folder"; return 2; } ;;
    v6) [ "${SCATTER_FORMAT:-xml}" = xml ] ||
          { step_die "--format txt with --spft v6: SP Flash Tool v6 loads download_agent/flash.xml, which names an XML scatter"; return 2; } ;;
    *) step_die "--spft (SPFT=): expected v5 or v6, got '$SPFT'"; return 2 ;;
  esac
  [ -z "${DA:-}" ] || da_files_present || return
  legacy_settings
}

# The vendor files SP Flash Tool v6 needs beside flash.xml (MODERN.md 1.6): MediaTek's download
# agent, signed for the chip, and the schema flash.xml is validated against.  mtkfw cannot make
# either from dumps: they are copied from the user's DA folder, never invented.
da_vendor_files=(DA_BR.bin flash.xsd)
da_files_present() {
  local f missing=()
  [ -d "$DA" ] || { step_die "--da $DA: not a folder (give the download_agent folder of the phone's stock SP Flash Tool v6 package)"; return 1; }
  for f in "${da_vendor_files[@]}"; do [ -r "$DA/$f" ] && [ -f "$DA/$f" ] || missing+=("$f"); done
  [ ${#missing[@]} -eq 0 ] ||
    { step_die "--da $DA: no ${missing[*]} there: copy the download_agent folder of the phone's stock SP Flash Tool v6 package (it holds ${da_vendor_files[*]})"; return 1; }
}

# The table's partition names, one a line.
table_names() {
  table_tsv | columns name
}

# The storage the dumps say: gpt-list's storage= fact, else the GPT's sector size (4096: UFS).
table_storage() {
  local storage
  storage=$(table_fact storage) || return
  if [ -z "$storage" ]; then
    storage=$(table_fact sector_size) || return
    if [ "$storage" = 4096 ]; then storage=ufs; else storage=emmc; fi
  fi
  echo "$storage"
}

# bl-strip --info's facts: the first word of INFO's "KEY:" line (rest: the whole value); the chip
# the preloader's build path names (MTxxxx; nothing for "not present" or "conflicting").
info_fact() {  # INFO KEY [rest]
  local line
  while IFS= read -r line; do
    [[ $line == "$2:"* ]] || continue
    line=${line#"$2:"}; line=${line#"${line%%[! ]*}"}
    if [ "${3:-}" = rest ]; then echo "$line"; else echo "${line%% *}"; fi
    return 0
  done <<<"$1"
}
info_platform() {  # INFO
  local platform
  platform=$(info_fact "$1" platform) || :
  [[ $platform != MT[0-9][0-9][0-9][0-9] ]] || echo "$platform"
}

# The active slot and where it was read, for the report: "b (misc: MediaTek boot_ctrl)", or why
# there is none.  Sources: gpt-list's slot= and slot_source= facts (misc+2048, MODERN.md 1.5).
active_slot_line() {  # AB (1 when the table has _a/_b rows)
  local slot from
  [ "$1" = 1 ] || { echo "not an A/B phone"; return 0; }
  slot=$(table_fact slot) && from=$(table_fact slot_source) || return
  case $from in
    boot_ctrl) from="MediaTek boot_ctrl at offset 2048 of misc" ;;
    avb_ab) from="AOSP AvbABData (\\0AB0) in misc" ;;
  esac
  if [ -n "$slot" ]; then echo "$slot (from $from)"; else echo "unknown: misc holds no boot control block"; fi
}

# Platform and project, from the options, the table (build.prop) or the preloader's name; the
# storage, the slot and the generation.  Prints assignments of the plan's variables (plan_vars),
# for the shell (eval) or, with "make", for make (include).
# PRELOADER and PRELOADER_SIZE are the preloader file's name and its row's size (GFH max_size;
# empty when the GFH says 0), read from BOOT1: step_preloader proves the file equal to BOOT1's
# image, so scatter-gen is told them instead of reading the file back.
plan_vars=(PLATFORM PROJECT PRELOADER PRELOADER_SIZE SCATTER PLATFORM_FROM PROJECT_FROM STORAGE ACTIVE_SLOT SLOT_USED SLOT_FROM GENERATION)
step_plan() {  # [sh|make]
  local platform=${PLATFORM:-} project=${PROJECT:-} pl_name pl_info pl_size platform_from=${PLATFORM_FROM:---platform} project_from=--project
  pl_name=$(run_filter bl-strip --name "$BOOT1") || return
  pl_info=$(run_filter bl-strip -q --info "$BOOT1") || return
  pl_size=$(info_fact "$pl_info" max_size)
  [ "$pl_size" != 0 ] || pl_size=""
  if [ -n "${TEMPLATE:-}" ]; then legacy_plan || return; else no_template_needed <(table_tsv) || return; fi
  if [ -z "$platform" ]; then
    platform=$(table_fact platform) || return
    platform_from="build.prop in the system or vendor partition"
  fi
  if [ -z "$platform" ]; then   # readback.mk: readback2fw has not reconciled it (same sources)
    platform=$(info_platform "$pl_info")
    platform_from="the preloader's build path"
    [ -n "$platform" ] || step_die "cannot find the platform (no build.prop with ro.mediatek.platform, ro.vendor.mediatek.platform or ro.board.platform in the system or vendor partition, no .../preloader/platform/mtXXXX/ build path in the preloader); give --platform MTxxxx" || return
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
  local storage ab=0 active slot_used=a slot_from describe format
  storage=$(table_storage) || return
  ! table_names | grep -q '_a$' || ab=1
  active=$(active_slot_line "$ab") || return
  # Which slot's bytes the _a rows' files hold (stock names): --slot, else the active one, else a.
  case ${USE_SLOT:-active} in
    a|b) slot_used=$USE_SLOT slot_from="--slot $USE_SLOT" ;;
    *) if [[ $active == [ab]\ * ]]; then slot_used=${active:0:1} slot_from="the active slot"
       else slot_used=a slot_from="slot a: the active slot is unknown"; fi ;;
  esac
  if [ "${FILE_NAMES:-}" = stock ] && [ "$ab" = 0 ] && [ -n "${USE_SLOT:-}" ] && [ "$USE_SLOT" != active ]; then
    step_die "--slot $USE_SLOT: $USER has no _a/_b partitions (not an A/B phone)"; return 1
  fi
  # The generation scatter-gen uses (interface: scatter-gen --describe).  A platform it cannot
  # describe is refused by step_scatter, in scatter-gen's own words; here it only leaves the
  # report's line unknown.
  local format_flag=()
  read -r -a format_flag < <(scatter_format_flag) || :
  describe=$(scatter-gen --describe --platform "$platform" ${SCATTER_VERSION:+--scatter-version "$SCATTER_VERSION"} \
             "${format_flag[@]}" 2>/dev/null) || describe=""
  format=$(scatter_format "$describe")
  local var value
  for var in "${plan_vars[@]}"; do
    case $var in
      PLATFORM) value=$platform ;; PROJECT) value=$project ;; PRELOADER) value=$pl_name ;; PRELOADER_SIZE) value=$pl_size ;;
      SCATTER) value=${platform}_Android_scatter.$format ;;
      PLATFORM_FROM) value=$platform_from ;; PROJECT_FROM) value=$project_from ;;
      STORAGE) value=$storage ;; ACTIVE_SLOT) value=$active ;;
      SLOT_USED) value=$slot_used ;; SLOT_FROM) value=$slot_from ;;
      GENERATION) if [ -n "${TEMPLATE:-}" ]; then value=$(legacy_generation_line); else value=$(generation_line "$describe"); fi ;;
    esac
    if [ "${1:-sh}" = make ]; then printf 'override %s := %s\n' "$var" "$value"; else printf '%s=%q\n' "$var" "$value"; fi
  done
}

# The scatter's form: --format, xml for --spft v6, else the generation's (txt when unknown).
scatter_format_flag() {
  if [ -n "${SCATTER_FORMAT:-}" ]; then echo "--format $SCATTER_FORMAT"
  elif [ "${SPFT:-}" = v6 ]; then echo "--format xml"; fi
}
scatter_format() {  # DESCRIBE (scatter-gen --describe's lines)
  local flag
  flag=$(scatter_format_flag)
  if [ -n "$flag" ]; then echo "${flag#--format }"; return; fi
  describe_value format "$1" txt
}

# KEY's value in scatter-gen --describe's key=value lines; DEFAULT when absent.
describe_value() {  # KEY DESCRIBE DEFAULT
  local line
  while IFS= read -r line; do [ "${line%%=*}" != "$1" ] || { echo "${line#*=}"; return 0; }; done <<<"$2"
  echo "$3"
}

# The report's generation line, from scatter-gen --describe.
generation_line() {  # DESCRIBE
  [ -n "$1" ] || { echo "unknown (scatter-gen --describe said nothing for this platform)"; return 0; }
  printf '%s (%s): config_version %s, %s keys per row, storage sections %s, %s (from %s)' \
    "$(describe_value generation "$1" '?')" "$(describe_value platform "$1" '?')" \
    "$(describe_value config_version "$1" '?')" "$(describe_value keys "$1" '?')" \
    "$(describe_value storages "$1" '?')" "$(describe_value format "$1" '?')" "$(describe_value source "$1" '?')"
}

# --- legacy MT65xx (MBR/EBR, no GPT): the plan is a stock scatter's ------------------------
# A legacy USER's MBR/EBR chain names no partition and lists none of the raw ones (MODERN.md 5):
# TEMPLATE, a stock V1.1.1 scatter of the same model, names them.  gpt-list --template checks it
# against the dump and lists its raw rows too (index 0), so every step finds each row's range in
# the table; scatter-gen --template writes it back (physical = linear - the MBR's linear).

# With TEMPLATE, the settings that choose another layout, names or form are usage errors.
legacy_settings() {
  [ -n "${TEMPLATE:-}" ] || return 0
  local var name
  for var in FILE_NAMES:--file-names SCATTER_VERSION:--scatter-version SCATTER_FORMAT:--format SPFT:--spft \
             POLICY:--policy DOWNLOAD:--download; do
    name=${var%%:*}
    [ -z "${!name:-}" ] ||
      { step_die "${var#*:} (${var%%:*}=) with --template (TEMPLATE=): the template's layout, names and form are written as they are"; return 2; }
  done
}

# KEY's value in TEMPLATE's general block ("platform: MT6572", "project: s4050ap"): the first
# line whose key it is (partition rows have no such key).
template_fact() {  # KEY
  awk -v key="$1:" '$1 == key { print $2; exit }' "$TEMPLATE"
}

# step_plan's names from TEMPLATE (its locals: dynamic scope): the platform (--platform must
# agree), the project and the preloader's file name, which the scatter names.
legacy_plan() {
  local stock_platform stock_project stock_pl
  stock_platform=$(template_fact platform) || { step_die "$TEMPLATE: cannot be read"; return 3; }
  [ -n "$stock_platform" ] || { step_die "$TEMPLATE: no platform: line in its general block (not a V1.1.1 scatter)"; return 1; }
  if [ -n "$platform" ] && [ "${platform^^}" != "${stock_platform^^}" ]; then
    step_die "--platform $platform: the template $TEMPLATE is a scatter of $stock_platform"; return 1
  fi
  platform=$stock_platform platform_from="the template (${TEMPLATE##*/})"
  stock_project=$(template_fact project)
  [ -n "$stock_project" ] || { step_die "$TEMPLATE: no project: line in its general block"; return 1; }
  if [ -n "$project" ] && [ "$project" != "$stock_project" ]; then
    step_die "--project $project: the template $TEMPLATE is the scatter of project $stock_project (its names are written as they are)"; return 1
  fi
  project=$stock_project project_from="the template"
  stock_pl=$(run_filter scatter-gen --list "$TEMPLATE" | columns type file_name |
             awk -F'\t' '$1 == "SV5_BL_BIN" { print $2; exit }') || return
  [ -n "$stock_pl" ] || { step_die "$TEMPLATE: no preloader row (type SV5_BL_BIN)"; return 1; }
  [ "$stock_pl" = "$pl_name" ] ||
    say_kept "readback2fw: warning: BOOT1's preloader calls itself $pl_name, the template names $stock_pl: make sure the template is this model's (the file is named as the template says)"
  pl_name=$stock_pl
}

# A legacy MBR/EBR table (TABLE: gpt-list --tsv) without TEMPLATE: said, with the way on, and false.
no_template_needed() {  # TABLE_FILE
  [ "$(table_fact label "$1")" = mbr ] || return 0
  step_die "$USER holds an MBR/EBR table (a legacy MT65xx phone): it names no partition and lists none of the raw ones (UBOOT, BOOTIMG, RECOVERY, LOGO...)"
  echo "readback2fw: hint: give --template STOCK_SCATTER (TEMPLATE=): the V1.1.1 scatter of this model's stock firmware (MT6572_Android_scatter.txt...); it is checked against $USER before anything is written" >&2
  return 1
}

legacy_generation_line() {
  echo "legacy MT65xx (MBR/EBR): config_version V1.1.1, the layout of the template ${TEMPLATE##*/}, checked against USER's MBR/EBR chain"
}

# A template's downloaded boot-area row but the preloader (MT6589's DSP_BL: a BOOT1 readback of
# these phones holds the preloader and the DSP bootloader together): "START SIZE" in BOOT1, at its
# linear address; false (nothing printed) for any other row or without TEMPLATE.
boot_area_range() {  # NAME
  [ -n "${TEMPLATE:-}" ] || return 1
  local found
  found=$(scatter-gen --list "$TEMPLATE" 2>/dev/null | columns name region type linear_start size |
          awk -F'\t' -v n="$1" '$1 == n && $2 ~ /^EMMC_BOOT/ && $3 != "SV5_BL_BIN" { print $4, $5; exit }')
  [ -n "$found" ] || return 1
  local start size
  read -r start size <<<"$found"
  echo "$((start)) $((size))"
}

# True for the MBR and EBRn rows of a legacy MBR/EBR table: their files are the 512-byte tables.
is_table_row() {  # NAME
  [[ $1 =~ ^(MBR|EBR[1-9][0-9]*)$ ]] && [ "$(table_fact label)" = mbr ]
}

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

# --- the scatter file (scatter-gen) ------------------------------------------------------
# Not quiet: its warnings (a partition no rule knows, a file system written raw, --download's
# phone data) are said and kept for the report.  A partition written raw at full size can be
# left out: that is readback2fw's --skip, said as a hint.
step_scatter() {  # FILE PRELOADER
  local WARNINGS=$OUT/.mtkfw/$1.warnings said line own="" text key DOWNLOAD=${DOWNLOAD:-}
  : > "$WARNINGS" || return 3
  if [ -n "${TEMPLATE:-}" ]; then   # the stock layout, checked against the dump's MBR/EBR chain
    text=$(run_filter scatter-gen --template "$TEMPLATE" ${SKIP:+--skip "$SKIP"} - <<<"$(table_tsv)" && printf x) || return
    write_scatter "$1" "${text%x}"
    return
  fi
  # Each run's scatter is kept in memory (remember_scatter) and asked there; only the last is
  # written, so the published file is never read back by these questions.
  text=$(run_scatter_gen "$2" && printf x) || return
  remember_scatter "$OUT/$1" "${text%x}" || return
  # userdata's key partition goes with it (a userdata restored without its key is random bytes to
  # the phone): a second run, whose warnings replace the first's.
  key=$(key_to_add "$OUT/$1") || return
  if [ -n "$key" ]; then
    : > "$WARNINGS" || return 3
    DOWNLOAD=${DOWNLOAD:+$DOWNLOAD,}$key   # (local: the later runs too)
    text=$(run_scatter_gen "$2" && printf x) || return
    remember_scatter "$OUT/$1" "${text%x}" || return
  fi
  if [ "${FILE_NAMES:-}" = stock ]; then
    # Stock names share a file between pairs (lk and lk2: lk.img): only when the dump holds the
    # same bytes in both.  The scatter says which rows share; the pairs that differ get a file
    # each (scatter-gen --own-file: a second run, quiet, as only the file names change), and the
    # report says why.
    own=$(own_files "$OUT/$1" "$OUT/.mtkfw/own-files") || return
    if [ -n "$own" ]; then
      text=$(run_scatter_gen "$2" -q --own-file "$own" && printf x) || return
      remember_scatter "$OUT/$1" "${text%x}" || return
    fi
  fi
  write_scatter "$1" "$SCATTER_TEXT" || return
  mapfile -t said < "$WARNINGS"
  for line in "${said[@]}"; do
    [[ $line =~ ^scatter-gen:\ warning:\ ([^:]+):\ .*written\ raw\ at\ full\ size ]] || continue
    say_kept "$(skip_hint "${BASH_REMATCH[1]}")"
  done
}

# userdata's key partition (gpt-list's metadata= fact: the vendor fstab's /metadata mount, or the
# md_udc/metadata rule of ops/userdata_key.h) when SCATTER downloads userdata but not the key, and
# --skip does not name it; nothing else.
key_to_add() {  # SCATTER
  local key rows
  key=$(table_fact metadata) || return
  [ -n "$key" ] && [[ ",${SKIP:-}," != *",$key,"* ]] || return 0
  rows=$(scatter_rows "$1") || return
  row_downloaded userdata <<<"$rows" && ! row_downloaded "$key" <<<"$rows" || return 0
  echo "$key"
}

# Of scatter_rows on stdin: true when row NAME is downloaded.
row_downloaded() {  # NAME
  awk -F'\t' -v n="$1" '$1 == n && $3 == "true" { found = 1 } END { exit !found }'
}

# The hint that leaves partition NAME out of the firmware.
skip_hint() {  # NAME
  echo "readback2fw: hint: to build without $1, give --skip $1 (it stays in the scatter, not downloaded)"
}

# scatter-gen with the run's settings, on the stage's table.
run_scatter_gen() {  # PRELOADER ARG...
  local pl=$1 format_flag=()
  shift
  read -r -a format_flag < <(scatter_format_flag) || :
  run_filter scatter-gen --platform "$PLATFORM" --project "$PROJECT" --preloader-file "$pl" ${PRELOADER_SIZE:+--preloader-size "$PRELOADER_SIZE"} \
    ${POLICY:+--policy "$POLICY"} ${DOWNLOAD:+--download "$DOWNLOAD"} ${SKIP:+--skip "$SKIP"} \
    ${FILE_NAMES:+--file-names "$FILE_NAMES"} ${SCATTER_VERSION:+--scatter-version "$SCATTER_VERSION"} \
    "${format_flag[@]}" "$@" - <<<"$(table_tsv)"
}

# The partition whose bytes NAME's image holds: with stock names and slot b, an _a row's file is
# cut from its _b twin (stock ships one slot, under the _a rows' names: MODERN.md 1.5).
source_partition() {  # NAME
  if [ "${FILE_NAMES:-}" = stock ] && [ "${SLOT_USED:-a}" = b ] && [[ $1 == *_a ]]; then
    echo "${1%_a}_b"
  else
    echo "$1"
  fi
}

# Of SCATTER's downloaded rows that share a file, the groups whose bytes differ in USER: their
# names, comma-separated (for --own-file), on stdout; why, one line per group, into WHY.
own_files() {  # SCATTER WHY
  local rows file names list=() members name src start size s2 z2 why out
  : > "$2" || return 3
  rows=$(scatter_rows "$1") || return
  while IFS=$'\t' read -r file names; do
    IFS=, read -r -a members <<<"$names"
    src=$(source_partition "${members[0]}")
    read -r start size < <(partition_range "$src") || return
    why=""
    for name in "${members[@]:1}"; do
      read -r s2 z2 < <(partition_range "$(source_partition "$name")") || return
      if [ "$z2" != "$size" ]; then
        why="$name is $z2 bytes, ${members[0]} $size"
      else
        local status=0
        out=$(cmp -i "$start:$s2" -n "$size" "$USER" "$USER" 2>&1) || status=$?
        proof_verdict "$status" || return
        [ "$status" = 0 ] || [ "$status" = 1 ] || { step_die "cmp: $out"; return 3; }
        # cmp says "differ: byte N" or "char N" (versions differ), N counted from 1.
        [ "$status" = 0 ] || { [[ $out =~ differ:\ [a-z]+\ ([0-9]+) ]]; why="$name first differs from ${members[0]} at byte ${BASH_REMATCH[1]:-?}"; }
      fi
      [ -z "$why" ] || break
    done
    [ -n "$why" ] || continue
    list+=("${members[@]}")
    printf '%s: each its own file instead of %s: their bytes differ in %s (%s)\n' \
      "${names//,/, }" "$file" "${USER##*/}" "$why" >> "$2"
  done < <(downloads_of_rows <<<"$rows" shared)
  local IFS=,
  echo "${list[*]}"
}

# The run's scatter, like its table, is asked from memory: step_scatter keeps the text it writes
# (SCATTER_TEXT) and its rows (SCATTER_LIST, scatter-gen --list of that text) for the file
# SCATTER_FILE, which the shell's later steps (readback2fw's jobs are its subshells) ask instead
# of reading the file.  Another file, or another shell (a readback.mk recipe), is read.
remember_scatter() {  # SCATTER_FILE TEXT
  local list
  list=$(run_filter scatter-gen --list - < <(printf '%s' "$2")) || return
  SCATTER_FILE=$1 SCATTER_TEXT=$2 SCATTER_LIST=$list
}
scatter_list() {  # SCATTER: scatter-gen --list's lines
  if [ -n "${SCATTER_FILE:-}" ] && [ "$1" = "$SCATTER_FILE" ]; then printf '%s\n' "$SCATTER_LIST"
  else run_filter scatter-gen --list "$1"; fi
}
scatter_text() {  # SCATTER: its text
  if [ -n "${SCATTER_FILE:-}" ] && [ "$1" = "$SCATTER_FILE" ]; then printf '%s' "$SCATTER_TEXT"
  else cat -- "$1"; fi
}

# Writes TEXT as the run's scatter FILE (in the stage: published with the rest) and keeps it.
write_scatter() {  # FILE TEXT
  local tmp=$OUT/.$1.tmp
  printf '%s' "$2" > "$tmp" || { rm -f "$tmp"; step_die "$OUT/$1: cannot write it"; return 3; }
  _publish "$OUT/$1" "$tmp"
  if [ "${SCATTER_FILE:-}" != "$OUT/$1" ] || [ "${SCATTER_TEXT-}" != "$2" ]; then remember_scatter "$OUT/$1" "$2"; fi
}

# The rows of a scatter, read by our one scatter parser: name, file, is_download, type, operation.
# A V2.x scatter has a section per storage (EMMC, UFS): only the dumps' storage's rows (STORAGE).
scatter_rows() {  # SCATTER
  local list
  list=$(scatter_list "$1") || return
  columns storage_type name file_name is_download type operation_type <<<"$list" |
    awk -F'\t' -v want="${STORAGE:-}" '$1 == "" || want == "" || $1 == toupper(want)' | cut -f2-
}

# The storage sections of a scatter: EMMC, UFS (none for V1.x, one storage).
scatter_sections() {  # SCATTER
  local list
  list=$(scatter_list "$1") || return
  columns storage_type <<<"$list" | awk 'NF && !seen[$0]++'
}

# Of scatter_rows on stdin, the downloaded ones but the preloader's (its SV5_BL_BIN row and a
# preloader_backup row naming the same file, MT6781: step_preloader makes that file from BOOT1):
# "name<TAB>file<TAB>type", one file once; with "shared", the files several rows name:
# "file<TAB>name,name...".
downloads_of_rows() {  # [shared]
  awk -F'\t' -v shared="${1:-}" '
    $3 != "true" { next }
    $4 == "SV5_BL_BIN" { preloader[$2] = 1; next }
    $2 in preloader { next }
    shared { if (!n[$2]++) order[++files] = $2; names[$2] = names[$2] (n[$2] > 1 ? "," : "") $1; next }
    !seen[$2]++ { print $1 "\t" $2 "\t" $4 }
    END { for (i = 1; i <= files; i++) if (n[order[i]] > 1) print order[i] "\t" names[order[i]] }'
}

scatter_downloads() {  # SCATTER
  scatter_rows "$1" | downloads_of_rows
}

# The COLUMNs of partition NAME's row of the table, tab-separated.
partition_fields() {  # NAME COLUMN...
  local rows line
  rows=$(table_tsv | columns name "${@:2}") || return
  while IFS= read -r line; do
    [ "${line%%$'\t'*}" != "$1" ] || { echo "${line#*$'\t'}"; return 0; }
  done <<<"$rows"
  step_die "no partition $1 in $OUT/partitions.tsv"
}

# START SIZE of a partition, in bytes, from the table.
partition_range() {  # NAME
  local fields
  fields=$(partition_fields "$1" start size) || return
  echo "${fields/$'\t'/ }"
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

# --- SP Flash Tool v6: download_agent/flash.xml and the vendor's files ---------------------
# SP Flash Tool v6 loads download_agent/flash.xml, not the scatter: it validates it against
# flash.xsd in the same folder and resolves <scatter> relative to it (MODERN.md 1.6: SPFT v6
# FlashXMLParser.cpp; the element names and order as a LineageOS fleur packager writes them,
# mimicking the official package).  DA_BR.bin and flash.xsd are MediaTek's, copied from DA and
# proven equal; without DA the folder lacks them and a warning says where to get them.
# <arch> is A32 as in that sample, or what the vendor's own flash.xml in DA says.
agent_dir=download_agent
step_flash_xml() {  # SCATTER
  local dir=$OUT/$agent_dir tmp arch=A32 f WARNINGS=$OUT/.mtkfw/flash.xml.warnings
  : > "$WARNINGS" || return 3
  mkdir -p "$dir" || return 3
  tmp=$dir/.flash.xml.tmp
  if [ -n "${DA:-}" ]; then
    da_files_present || return
    if [ -r "$DA/flash.xml" ] && [[ $(<"$DA/flash.xml") =~ \<arch\>([A-Za-z0-9_]+)\</arch\> ]]; then arch=${BASH_REMATCH[1]}; fi
    for f in "${da_vendor_files[@]}"; do
      cp -- "$DA/$f" "$dir/.$f.tmp" || { rm -f "$dir/.$f.tmp"; step_die "$agent_dir/$f: cannot be written"; return 3; }
      cmp -s -- "$DA/$f" "$dir/.$f.tmp" || { rm -f "$dir/.$f.tmp"; step_die "$agent_dir/$f: differs from $DA/$f after the copy"; return 3; }
    done
  fi
  printf '%s\n' '<?xml version="1.0" encoding="utf-8"?>' \
    "<flash-mode><project>$(xml_text "$PROJECT")</project><dagent>DA_BR.bin</dagent><scatter>../$(xml_text "$1")</scatter><version>1.0</version><arch>$arch</arch></flash-mode>" \
    > "$tmp" || { rm -f "$tmp"; return 3; }
  # A consumer reads it back: well-formed XML, and valid against the vendor's schema when given.
  if command -v xmllint >/dev/null; then
    local err schema=()
    [ -z "${DA:-}" ] || schema=(--schema "$dir/.flash.xsd.tmp")
    err=$(xmllint --noout "${schema[@]}" "$tmp" 2>&1) || {
      rm -f "$tmp" "$dir"/.*.tmp
      step_die "$agent_dir/flash.xml: xmllint rejects it${DA:+ against $DA/flash.xsd (SP Flash Tool v6 would refuse it too)}: ${err%%$'\n'*}"
      return 1
    }
  fi
  if [ -z "${DA:-}" ]; then
    say_kept "readback2fw: warning: $agent_dir/DA_BR.bin and $agent_dir/flash.xsd are missing: SP Flash Tool v6 needs them to load $agent_dir/flash.xml; copy them from the download_agent folder of this phone's stock SP Flash Tool v6 package (MediaTek's signed download agent: mtkfw cannot make it), or give --da DIR (DA=DIR)"
  fi
  for f in "${da_vendor_files[@]}"; do [ ! -e "$dir/.$f.tmp" ] || _publish "$dir/$f" "$dir/.$f.tmp"; done
  _publish "$dir/flash.xml" "$tmp"
}

# TEXT with XML's special characters escaped.
xml_text() {  # TEXT
  local t=${1//&/&amp;}
  t=${t//</&lt;}
  t=${t//>/&gt;}
  echo "$t"
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
not_an_input() {  # PATH...: fails naming the first PATH that is the same file as BOOT1, USER, BOOT2 or TEMPLATE
  local path dump
  for path; do
    for dump in "$BOOT1" "$USER" ${BOOT2:+"$BOOT2"} ${TEMPLATE:+"$TEMPLATE"}; do
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
  mkdir -p -- "${2%/*}" || { step_die "${2%/*}: cannot be made"; return 3; }
  if { [ "$3" = link ] && ln -f -- "$1" "$tmp" 2>/dev/null; } || cp --reflink=auto -- "$1" "$tmp"; then
    _publish "$2" "$tmp" && return 0
  fi
  rm -f -- "$tmp"
  step_die "$2: cannot be written"
  return 3
}
