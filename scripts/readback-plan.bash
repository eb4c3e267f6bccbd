# readback-plan.bash: the run's plan, part of readback-steps.bash (which sources it): the modern
# settings, checked before anything is read; then platform, project, storage, slot and
# generation from the table and BOOT1 (step_plan), or from a legacy phone's stock scatter.
# Sourced, not run.
# shellcheck disable=SC2153  # BOOT1, OUT, STORAGE, ...: readback-steps.bash's inputs, from the environment

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
step_plan() {  # [sh|make] [INFO: bl-strip -q --info of BOOT1, when the caller has read it]
  local platform=${PLATFORM:-} project=${PROJECT:-} pl_name pl_info=${2:-} pl_size platform_from=${PLATFORM_FROM:---platform} project_from=--project
  pl_name=$(run_filter bl-strip --name "$BOOT1") || return
  [ -n "$pl_info" ] || pl_info=$(run_filter bl-strip -q --info "$BOOT1") || return
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
