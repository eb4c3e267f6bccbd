# Bytes of a file, read and written in place: for tests that damage or edit their inputs.
# Sourced by test_helper.bash, and by fake tools (scripts of their own) that damage an output.
# OFFSET and VALUE may be decimal or 0x hex.

get_byte() { od -An -tu1 -j $(($2)) -N 1 "$1" | tr -d ' '; }                 # FILE OFFSET

# poke FILE OFFSET HEXBYTES: overwrites bytes in place ("41424344" writes ABCD).
poke() {
  # shellcheck disable=SC2059,SC2001  # the format is the bytes, as \xNN escapes sed makes of every pair
  printf "$(sed 's/../\\x&/g' <<< "$3")" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

set_byte() { poke "$1" "$2" "$(printf %02x $(($3)))"; }                       # FILE OFFSET VALUE

# le32 VALUE: the four little-endian bytes of a u32, on stdout.
le32() {
  local v=$(($1))
  # shellcheck disable=SC2059  # the format is the bytes, as \xNN escapes
  printf "$(printf '\\x%02x' $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255)))"
}

poke32() { le32 "$3" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none; }  # FILE OFFSET VALUE

# flip_byte FILE OFFSET: inverts the byte (XOR 0xFF).  Damage that writes a fixed value is a
# no-op when the byte already held it (1 in 256 on random data); an inverted byte always differs,
# and it always changes a byte sum too (b -> 255 - b moves the sum by the odd 255 - 2b).
flip_byte() {
  local old
  old=$(get_byte "$1" "$2")
  [ -n "$old" ] || { echo "flip_byte: $1: no byte at offset $2" >&2; return 1; }
  set_byte "$1" "$2" $(( old ^ 0xFF ))
}
