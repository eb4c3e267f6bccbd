# Helpers for tests/bad-input.bats: damaging inputs on purpose and checking that a tool refused
# them the CLI.md way.
# shellcheck disable=SC2154  # status and stderr: set by bats' run

# gpt_lie DUMP FIELD VALUE [primary|backup|both]: sets a GPT header field, or a field of an
# entry, to VALUE (decimal or 0x hex) and recomputes the CRC32s, so that only the lie is wrong.
# Sector size 512.  Fields: header: alternate_lba first_usable last_usable entries_lba
# entry_count entry_size; entry N: N.first N.last (1-based).
gpt_lie() {
  python3 - "$@" <<'PY'
import struct, sys, zlib
path, field, value = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
which = sys.argv[4] if len(sys.argv) > 4 else "both"
ss = 512
HDR = {"alternate_lba": (0x20, "<Q"), "first_usable": (0x28, "<Q"), "last_usable": (0x30, "<Q"),
       "entries_lba": (0x48, "<Q"), "entry_count": (0x50, "<I"), "entry_size": (0x54, "<I")}
with open(path, "r+b") as f:
    def header(lba):
        f.seek(lba * ss); return bytearray(f.read(ss))
    primary = header(1)
    assert primary[:8] == b"EFI PART"
    lbas = {"primary": [1], "backup": [struct.unpack_from("<Q", primary, 0x20)[0]]}
    lbas["both"] = lbas["primary"] + lbas["backup"]
    for lba in lbas[which]:
        h = header(lba)
        assert h[:8] == b"EFI PART", lba
        elba, count, esize = struct.unpack_from("<QII", h, 0x48)
        f.seek(elba * ss); entries = bytearray(f.read(count * esize))
        if field in HDR:
            off, fmt = HDR[field]
            struct.pack_into(fmt, h, off, value)
        else:
            n, what = field.split(".")
            struct.pack_into("<Q", entries, (int(n) - 1) * esize + (0x20 if what == "first" else 0x28), value)
            f.seek(elba * ss); f.write(entries)
        struct.pack_into("<I", h, 0x58, zlib.crc32(entries) & 0xffffffff)
        size = struct.unpack_from("<I", h, 0x0C)[0]
        struct.pack_into("<I", h, 0x10, 0)
        struct.pack_into("<I", h, 0x10, zlib.crc32(bytes(h[:size])) & 0xffffffff)
        f.seek(lba * ss); f.write(h)
PY
}

# gpt_backup_lba DUMP: the primary header's AlternateLBA (512-byte sectors).
gpt_backup_lba() {
  od -An -tu8 -j $((512 + 0x20)) -N8 "$1" | tr -d ' '
}

# poke FILE OFFSET HEXBYTES: overwrites bytes in place ("41424344" writes ABCD); OFFSET may be 0x hex.
poke() {
  # shellcheck disable=SC2059,SC2001  # the format is the bytes, as \xNN escapes sed makes of every pair
  printf "$(sed 's/../\\x&/g' <<< "$3")" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

# poke32 FILE OFFSET VALUE: a little-endian u32 (VALUE decimal or 0x hex).
poke32() {
  poke "$1" "$2" "$(printf %08x $(($3)) | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')"
}

# inputs_hash: one hash over every file under $IN (names and contents), to prove a run did not
# touch its inputs.
inputs_hash() {
  (cd "$IN" && find . -type f -print0 | sort -z | xargs -0r sha256sum | sha256sum)
}

# refused CODE REGEX TOOL ARG...: runs the tool and checks what CLI.md promises for bad input:
# exit status CODE, a last stderr line "TOOL: error: ..." matching REGEX (extended), nothing on
# stdout, no file left in $OUT (final name or temporary), and every input unchanged.
# With --unprivileged before TOOL it runs as nobody (see unreadable_file).
refused() {
  local code=$1 regex=$2 prefix=()
  shift 2
  if [ "$1" = --unprivileged ]; then
    shift
    [ "$(id -u)" -ne 0 ] || prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  fi
  local tool=$1
  shift
  local before
  before=$(inputs_hash)
  run --separate-stderr "${prefix[@]}" "$tool" "$@"
  # The error line is the last one but the "TOOL: hint: ..." lines that may follow it.
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
  [ "$(inputs_hash)" = "$before" ] || { echo "$tool $*: changed its input" >&2; return 1; }
}

# unreadable_file PATH: a file the tool cannot open.  As root (tests run as root) chmod 000 does
# not stop reads, so the file goes into a folder only root may enter and the tool runs as
# nobody (refused --unprivileged); as another user chmod 000 is enough.
unreadable_file() {
  mkdir -p "$(dirname "$1")"
  echo data > "$1"
  if [ "$(id -u)" -eq 0 ]; then chmod 700 "$(dirname "$1")"; else chmod 000 "$1"; fi
}
# closed_pipe READER CODE REGEX TOOL ARG...: the tool's stdout is a pipe whose reader has gone:
# READER "head -c1" takes one byte and leaves (outputs larger than a pipe buffer), "none" is a
# pipe whose read end was closed before the tool started, so even its first write finds no reader
# (no race with a reader's exit; SIGPIPE restored to default as a shell would leave it).  Checks
# the exit status, that the last stderr line is "TOOL: error: ..." matching REGEX, and the inputs.
closed_pipe() {
  local reader=$1 code=$2 regex=$3 tool=$4
  shift 4
  local before
  before=$(inputs_hash)
  if [ "$reader" = none ]; then
    run --separate-stderr bash -c '"$@"; echo "exit=$?" >&2' _ python3 -c '
import os, signal, sys
r, w = os.pipe(); os.close(r); os.dup2(w, 1); os.close(w)
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$tool" "$@"
  else
    run --separate-stderr bash -c '{ "$@"; echo "exit=$?" >&2; } | '"$reader"' >/dev/null' _ "$tool" "$@"
  fi
  local last=${stderr##*$'\n'} lines=${stderr%$'\n'*}
  local error=${lines##*$'\n'}
  if [ "$last" != "exit=$code" ] || [[ ! "$error" =~ ^"$tool: error: " ]] || ! grep -Eq -- "$regex" <<< "$error"; then
    echo "$tool $* | $reader: expected exit=$code and '$tool: error: ' matching /$regex/, stderr:" >&2
    echo "$stderr" >&2
    return 1
  fi
  [ "$(inputs_hash)" = "$before" ] || { echo "$tool $*: changed its input" >&2; return 1; }
}
