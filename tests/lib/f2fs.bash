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

# f2fs_sparse_image OUT SIZE_MIB SRC_DIR [MKFS_OPTION...]: like f2fs_image for a large size, OUT
# a sparse file: holes, but old random data in 1 MiB at every 256th MiB (the rest reads as zeros).
f2fs_sparse_image() {  # OUT SIZE_MIB SRC_DIR [MKFS_OPTION...]
  local out=$1 size=$2 src=$3 at
  shift 3
  rm -f "$out"
  truncate -s "${size}M" "$out"
  for ((at = 0; at < size; at += 256)); do
    head -c $((1 << 20)) /dev/urandom | dd of="$out" bs=1M seek="$at" conv=notrunc status=none
  done
  mkfs.f2fs -q -f -t 0 "$@" "$out" >/dev/null
  sload.f2fs -f "$src" "$out" >/dev/null
}

# f2fs_oracle IMG SPARSE: f2fs-tools' own SIT (dump.f2fs) against the chunks of SPARSE
# (tests/lib/f2fs-oracle.py); prints valid=N.
f2fs_oracle() { python3 "$MTKFW_ROOT/tests/lib/f2fs-oracle.py" "$@"; }

# f2fs_edit IMG EDIT...: damage on purpose (tests/lib/f2fs-edit.py).
f2fs_edit() { python3 "$MTKFW_ROOT/tests/lib/f2fs-edit.py" "$@"; }
