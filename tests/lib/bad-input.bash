# Helpers for tests/bad-input.bats: damaging inputs on purpose and checking that a tool refused
# them the doc/CLI.md way.
# shellcheck disable=SC2154  # status and stderr: set by bats' run

# gpt_lie DUMP FIELD VALUE [primary|backup|both]: sets a GPT header field, or a field of an
# entry, to VALUE (decimal or 0x hex) and recomputes the CRC32s, so that only the lie is wrong.
# Sector size 512.  Fields: header: alternate_lba first_usable last_usable entries_lba
# entry_count entry_size; entry N: N.first N.last (1-based).
gpt_lie() { python3 "$MTKFW_ROOT/tests/lib/gpt-lie.py" "$@"; }

# gpt_backup_lba DUMP: the primary header's AlternateLBA (512-byte sectors).
gpt_backup_lba() {
  od -An -tu8 -j $((512 + 0x20)) -N8 "$1" | tr -d ' '
}

# inputs_state [--fresh]: sets INPUTS to every file under $IN by name with its XXH128 (xxhsum,
# not our code), to prove a run did not touch its inputs.  Before a run a file whose inode, size,
# mtime and ctime are those it was last hashed with keeps that hash (any write moves its ctime);
# after the run --fresh hashes every file again: one hash per input per run, not two.
declare -gA INPUT_HASHES=()
inputs_state() {
  local stat name
  INPUTS=""
  while IFS=$'\t' read -r -d '' name stat; do
    if [ "${1:-}" = --fresh ] || [ -z "${INPUT_HASHES[$name $stat]:-}" ]; then
      INPUT_HASHES[$name $stat]=$(xxhsum -H2 < "$IN/$name" | cut -d' ' -f1)
    fi
    INPUTS+="$name ${INPUT_HASHES[$name $stat]}"$'\n'
  done < <(cd "$IN" && find . -type f -printf '%P\t%i %s %T@ %C@\0' | sort -z)
}

# refused CODE REGEX TOOL ARG...: runs the tool and checks what doc/CLI.md promises for bad input:
# exit status CODE, a last stderr line "TOOL: error: ..." matching REGEX (extended; the hint lines
# after it aside), nothing on stdout, no file left in $OUT (final name or temporary), and every
# input unchanged.
# With --unprivileged before TOOL it runs as nobody (see unreadable_file); with --stdout-full
# its standard output is /dev/full.
refused() {
  local code=$1 regex=$2 prefix=()
  shift 2
  if [ "$1" = --unprivileged ]; then
    shift
    [ "$(id -u)" -ne 0 ] || prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  elif [ "$1" = --stdout-full ]; then
    shift
    prefix=(bash -c '"$@" > /dev/full' _)
  fi
  local tool=$1
  shift
  local before
  inputs_state; before=$INPUTS
  run --separate-stderr "${prefix[@]}" "$tool" "$@"
  # The error is the last line but for the "TOOL: hint: ..." lines that may follow it.
  local last
  last=$(grep -v "^$tool: hint: " <<< "$stderr" | tail -n 1)
  if [ "$status" -ne "$code" ] || [[ ! "$last" =~ ^"$tool: error: " ]] || ! grep -Eq -- "$regex" <<< "$last"; then
    echo "$tool $*: exit $status (expected $code), stderr:" >&2
    echo "$stderr" >&2
    echo "expected the last line to be '$tool: error: ' matching /$regex/" >&2
    return 1
  fi
  [ -z "$output" ] || { echo "$tool $*: wrote to stdout: ${output:0:200}" >&2; return 1; }
  [ -z "$(ls -A "$OUT")" ] || { echo "$tool $*: left in $OUT: $(ls -A "$OUT")" >&2; return 1; }
  inputs_state --fresh
  [ "$INPUTS" = "$before" ] || { echo "$tool $*: changed its input" >&2; return 1; }
}

# unreadable_file PATH: a file the tool cannot open.  As root (tests run as root) chmod 000 does
# not stop reads, so the file goes into a folder only root may enter and the tool runs as
# nobody (refused --unprivileged); as another user chmod 000 is enough.
unreadable_file() {
  mkdir -p "$(dirname "$1")"
  echo data > "$1"
  if [ "$(id -u)" -eq 0 ]; then chmod 700 "$(dirname "$1")"; else chmod 000 "$1"; fi
}
# closed_pipe READER TOOL ARG...: the tool's stdout is a pipe whose reader has gone:
# READER "head -c1" takes one byte and leaves (outputs larger than a pipe buffer), "none" is a
# pipe whose read end was closed before the tool started, so even its first write finds no reader
# (no race with a reader's exit; SIGPIPE restored to default as a shell would leave it).  Checks
# what doc/CLI.md promises: killed by SIGPIPE like cat (exit 141), nothing said (not even an
# error with -q), inputs unchanged.
closed_pipe() {
  local reader=$1 tool=$2
  shift 2
  local before
  inputs_state; before=$INPUTS
  if [ "$reader" = none ]; then
    run --separate-stderr bash -c '"$@"; echo "exit=$?" >&2' _ python3 "$MTKFW_ROOT/tests/lib/closed-stdout.py" "$tool" -q "$@"
  else
    run --separate-stderr bash -c '{ "$@"; echo "exit=$?" >&2; } | '"$reader"' >/dev/null' _ "$tool" -q "$@"
  fi
  if [ "$stderr" != "exit=141" ]; then
    echo "$tool $* | $reader: expected exit=141 and nothing said, stderr:" >&2
    echo "$stderr" >&2
    return 1
  fi
  inputs_state --fresh
  [ "$INPUTS" = "$before" ] || { echo "$tool $*: changed its input" >&2; return 1; }
}
