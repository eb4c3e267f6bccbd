# readback-scatter.bash: the scatter file (step_scatter) and SP Flash Tool v6's flash.xml, part
# of readback-steps.bash (which sources it), and what the other steps ask of the scatter's rows
# (from the run's memory of it).  Sourced, not run.
# shellcheck disable=SC2153,SC2154  # BOOT1, OUT, ...: the environment's; da_vendor_files: readback-plan.bash's

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
