# f2fs images made by Debian's f2fs-tools (mkfs.f2fs, then sload.f2fs fills it without mounting),
# with old data in the blocks f2fs does not use, as a phone's userdata has.  Sourced by the suites
# that need one (tests/f2fs.bats, the readback fixtures).

# need_f2fs_tools: skip, with a message, without mkfs.f2fs / sload.f2fs / fsck.f2fs / dump.f2fs.
need_f2fs_tools() {
  local t
  for t in mkfs.f2fs sload.f2fs fsck.f2fs dump.f2fs; do
    command -v "$t" >/dev/null || skip "$t not found (Debian package f2fs-tools: scripts/install-deps test)"
  done
}

# f2fs_image OUT SIZE_MIB SRC_DIR [MKFS_OPTION...]: OUT of SIZE_MIB, first filled with
# pseudo-random old data, then mkfs.f2fs (no discard) and sload.f2fs of SRC_DIR.  Blocks f2fs
# leaves invalid keep the old bytes.
f2fs_image() {  # OUT SIZE_MIB SRC_DIR [MKFS_OPTION...]
  local out=$1 size=$2 src=$3
  shift 3
  head -c "$((size << 20))" /dev/urandom > "$out"
  mkfs.f2fs -q -f -t 0 "$@" "$out" >/dev/null
  sload.f2fs -f "$src" "$out" >/dev/null
}
