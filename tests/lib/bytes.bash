# Single bytes of a file, read and written in place: for tests that damage or edit their inputs.
# Sourced by test_helper.bash, and by fake tools (scripts of their own) that damage an output.

get_byte() { od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' '; }                    # FILE OFFSET
set_byte() {                                                                  # FILE OFFSET VALUE
  # shellcheck disable=SC2059  # the format is the byte, as a \xNN escape
  printf "$(printf '\\x%02x' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# flip_byte FILE OFFSET: inverts the byte (XOR 0xFF).  Damage that writes a fixed value is a
# no-op when the byte already held it (1 in 256 on random data); an inverted byte always differs,
# and it always changes a byte sum too (b -> 255 - b moves the sum by the odd 255 - 2b).
flip_byte() {
  local old
  old=$(get_byte "$1" "$2")
  [ -n "$old" ] || { echo "flip_byte: $1: no byte at offset $2" >&2; return 1; }
  set_byte "$1" "$2" $(( old ^ 0xFF ))
}
