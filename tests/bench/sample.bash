# Reproducible content for the benchmarks' samples (sourced by tests/bench/mksuper and mkf2fs):
# every byte comes from AES-128-CTR over zeros with a key derived from a seed (openssl enc), so a
# sample rebuilt from the same builder has the same files.  A builder's cache hash includes this
# file: changing a stream here rebuilds the samples made from it.
mib=$((1 << 20))

# prand SEED BYTES: BYTES pseudo-random bytes, the same for the same SEED.
prand() {
  local key
  key=$(printf '%s' "$1" | sha256sum | cut -c1-32)
  # head closes the pipe: openssl's SIGPIPE is the normal end, not a failure.
  { openssl enc -aes-128-ctr -nosalt -K "$key" -iv 00000000000000000000000000000000 -in /dev/zero 2>/dev/null || true; } |
    head -c "$2"
}
# uuid SEED: a UUID-shaped string derived from SEED.
uuid() { printf '%s' "$1" | sha256sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/'; }

# tree DIR SEED MIB: a system-like tree of about MIB MiB: large random files (bin/, 60%), many
# 64 KiB ones (app/, 25%), compressible text (etc/, 10%), a zero-filled file (lib/, 5%), a
# build.prop; every time stamp fixed.
tree() {  # DIR SEED MIB
  local d=$1 seed=$2 m=$3
  mkdir -p "$d/bin" "$d/app" "$d/etc" "$d/lib"
  printf 'ro.board.platform=mt6877\nro.vendor.mediatek.platform=MT6877\n' > "$d/build.prop"
  prand "$seed-bin" $((m * 60 / 100 * mib)) | split -b $((16 * mib)) -a 3 - "$d/bin/b"
  prand "$seed-app" $((m * 25 / 100 * mib)) | split -b 65536 -a 4 - "$d/app/a"
  { yes "$seed: persist.vendor.some.property=a value that compresses well" || true; } |
    head -c $((m * 10 / 100 * mib)) | split -b $((2 * mib)) -a 3 - "$d/etc/t"
  head -c $((m * 5 / 100 * mib)) /dev/zero > "$d/lib/zero.bin"
  find "$d" -exec touch -h -d @1700000000 {} +
}
