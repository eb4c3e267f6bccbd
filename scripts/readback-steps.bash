# readback-steps.bash: the steps of readback2fw, one function per output file, shared by
# scripts/readback2fw (plain bash, parallel jobs) and scripts/readback.mk (make -j), so both
# write the same bytes.  Sourced, not run.  This file holds what every step uses (a filter's
# failure in readback2fw's voice, the table's fields); the steps are in the files it sources
# from beside it: readback-plan.bash (settings and the plan), readback-scatter.bash (the
# scatter, flash.xml), readback-images.bash (the preloader, the images, Checksum.ini),
# readback-report.bash (report.txt) and readback-stamps.bash (readback.mk's bookkeeping).
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

# --- the steps, a file per concept, beside this one ---------------------------------------
_steps_dir=.
[[ ${BASH_SOURCE[0]} != */* ]] || _steps_dir=${BASH_SOURCE[0]%/*}
# shellcheck source-path=SCRIPTDIR source=readback-plan.bash
source "$_steps_dir/readback-plan.bash" || return
# shellcheck source-path=SCRIPTDIR source=readback-scatter.bash
source "$_steps_dir/readback-scatter.bash" || return
# shellcheck source-path=SCRIPTDIR source=readback-images.bash
source "$_steps_dir/readback-images.bash" || return
# shellcheck source-path=SCRIPTDIR source=readback-report.bash
source "$_steps_dir/readback-report.bash" || return
# shellcheck source-path=SCRIPTDIR source=readback-stamps.bash
source "$_steps_dir/readback-stamps.bash" || return
