# Legacy MT65xx dumps (MBR/EBR chain, no GPT) built from real table sectors
# (../shared/reference/mbr, MODERN.md 5.2): each sample sector placed at its offset in a sparse file.
# Sourced by tests/mbr.bats.

# legacy_ref: the folder of real MBR/EBR samples; skips the test without it.
legacy_ref() {
  local ref
  if ! ref=$(reference_dir) || [ ! -d "$ref/mbr/mbr_wiko_s4050ap" ]; then
    skip "no real MBR/EBR samples (../shared/reference/mbr)"
  fi
  echo "$ref/mbr"
}

# Scratch space: the test's, or the file's in setup_file.
legacy_tmp() { echo "${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}"; }

# place FILE OFFSET SECTOR_FILE: the 512-byte sector written at OFFSET.
place() { dd if="$3" of="$1" bs=512 count=1 seek=$(($2)) oflag=seek_bytes conv=notrunc status=none; }

# wiko_dump OUT [MBR_OFFSET]: the MT6572 wiko s4050ap user area (0xE8E40000 bytes, MODERN.md 5.2)
# with its real MBR at MBR_OFFSET (default 0: a user-area readback; 0xC00000: one from linear 0x0)
# and its real EBR1 at MBR + 0x80000.
wiko_dump() {
  local ref base=$((${2:-0}))
  ref=$(legacy_ref) || return
  truncate -s $((base + 0xE8E40000)) "$1"
  place "$1" "$base" "$ref/mbr_wiko_s4050ap/MBR"
  place "$1" $((base + 0x80000)) "$ref/mbr_wiko_s4050ap/EBR1"
}

# xjtuecho_dump OUT: the real EBR1 -> EBR2 chain of xjtuecho/mtk_tool (EBR1 at 0x80000, EBR2 at
# EBR1 + 0x19400 sectors) under an MBR of ours in MediaTek's shape (slot 0 -> EBR1; slots 1-3 type
# 0x83 at sectors 0x800, 0x1000, 0x1800, 0x800 sectors each); the user area ends 64 MiB after
# EBR2's last partition starts.
xjtuecho_dump() {
  local ref mbr
  mbr=$(legacy_tmp)/xjtuecho-mbr
  ref=$(legacy_ref) || return
  truncate -s 512 "$mbr"
  poke "$mbr" 0x1c2 05; poke32 "$mbr" 0x1c6 0x400; poke32 "$mbr" 0x1ca 0xffffffff
  local slot
  for slot in 1 2 3; do
    poke "$mbr" $((0x1c2 + 16 * slot)) 83
    poke32 "$mbr" $((0x1c6 + 16 * slot)) $((0x800 * slot)); poke32 "$mbr" $((0x1ca + 16 * slot)) 0x800
  done
  poke "$mbr" 0x1fe 55aa
  truncate -s $(((0x400 + 0x3BB800) * 512 + (64 << 20))) "$1"
  place "$1" 0 "$mbr"
  place "$1" 0x80000 "$ref/mbr_xjtuecho/EBR1"
  place "$1" $((0x80000 + 0x19400 * 512)) "$ref/mbr_xjtuecho/EBR2"
}

# wiko_template: the real stock V1.1.1 scatter of the wiko s4050ap, on stdout's path.
wiko_template() { echo "$(legacy_ref)/mbr_wiko_s4050ap/MT6572_Android_scatter.txt"; }

# wiko_boot_areas DUMP [MBR_OFFSET]: boot images (mkbootimg) where the wiko scatter puts BOOTIMG
# and RECOVERY, and LK's part header (magic 0x58881688, name "LK") where it puts UBOOT.
wiko_boot_areas() {
  local base=$((${2:-0})) mbr_linear=0xC00000 tmp
  tmp=$(legacy_tmp)/bootimg
  mkdir -p "$tmp"
  head -c 4096 /dev/urandom > "$tmp/kernel"
  head -c 2048 /dev/urandom > "$tmp/ramdisk"
  mkbootimg --kernel "$tmp/kernel" --ramdisk "$tmp/ramdisk" --pagesize 2048 -o "$tmp/boot.img"
  dd if="$tmp/boot.img" of="$1" bs=4096 seek=$((0x2980000 - mbr_linear + base)) oflag=seek_bytes conv=notrunc status=none
  dd if="$tmp/boot.img" of="$1" bs=4096 seek=$((0x3B80000 - mbr_linear + base)) oflag=seek_bytes conv=notrunc status=none
  poke32 "$1" $((0x2920000 - mbr_linear + base)) 0x58881688
  poke "$1" $((0x2920000 - mbr_linear + base + 8)) 4c4b
}

# wiko_readback DIR [MBR_OFFSET]: a whole readback of the wiko s4050ap (MT6572) in DIR: User (wiko_dump with
# its boot images and LK, ext4 file systems made by mke2fs -d at ANDROID, CACHE and USRDATA's
# table offsets, pseudo-random bytes in NVRAM, PRO_INFO and LOGO) and a 2 MiB Boot1 whose GFH
# preloader calls itself preloader_s4050ap.bin and was built for mt6572 (and that preloader alone
# as DIR/preloader.bin).  MBR_OFFSET as wiko_dump's (0xC00000: a USER read back from linear 0x0).
wiko_readback() {
  local d=$1 base=$((${2:-0})) src name start size scratch
  scratch=$(legacy_tmp) src=$(legacy_tmp)/wiko-src
  mkdir -p "$d" "$src"
  wiko_dump "$d/User" "$base" || return
  wiko_boot_areas "$d/User" "$base"
  mkdir -p "$src/ANDROID" "$src/CACHE" "$src/USRDATA/app"
  printf 'ro.mediatek.platform=MT6572\nro.product.device=s4050ap\n' > "$src/ANDROID/build.prop"
  head -c 3000000 /dev/urandom > "$src/ANDROID/framework.jar"
  head -c 70000 /dev/urandom > "$src/CACHE/recovery.log"
  head -c 1500000 /dev/urandom > "$src/USRDATA/app/base.apk"
  while read -r name start size; do
    mke2fs -q -t ext4 -b 4096 -d "$src/$name" -L "${name,,}" "$scratch/$name.ext4" $((size / 1024))k
    dd if="$scratch/$name.ext4" of="$d/User" bs=1M seek=$((base + start)) oflag=seek_bytes conv=notrunc,sparse status=none
    rm -f "$scratch/$name.ext4"
  done <<EOT
ANDROID 0x4F40000 0x3E800000
CACHE 0x43740000 0xE200000
USRDATA 0x51940000 0x96000000
EOT
  while read -r start size; do
    head -c "$size" /dev/urandom | dd of="$d/User" bs=64K seek=$((base + start)) oflag=seek_bytes conv=notrunc status=none
  done <<EOT
0x100000 40000
0x400000 300000
0x4240000 200000
EOT
  python3 "$MTKFW_ROOT/tests/lib/boot1-image.py" "$d/Boot1" "$d/preloader.bin" --size 0x200000 \
    --name preloader_s4050ap.bin --build-path /work/alps/bootable/bootloader/preloader/platform/mt6572/src/init.c
}

# ptgen_dump OUT SCATTER NAME...: a user area laid out as MediaTek's ptgen lays it out (MODERN.md
# 5.1) from a stock V1.1.1 SCATTER: the MBR where its MBR row is, then EBR1, EBR2... where its
# EBRn rows are; NAME... (its ext4/FAT rows, in order) three per table, the MBR's slot 0 and each
# full EBR's slot 3 the link (relative to EBR1), the last count "to the end" (0xFFFFFFFF - its
# start relative to EBR1); the dump ends after the last NAME and BMTPOOL.  Mkbootimg images and
# LK's header where the scatter puts BOOTIMG, RECOVERY and UBOOT.
ptgen_dump() {
  local out=$1 scatter=$2 name linear size
  shift 2
  local names=("$@") tables=(MBR)
  local -A at len
  # scatter-gen --list columns 3, 7, 9: name, linear_start, size
  while IFS=$'\t' read -r name linear size; do at[$name]=$((linear)) len[$name]=$((size)); done \
    < <(scatter-gen --list "$scatter" | tail -n +2 | cut -f3,7,9)
  local mbr_linear=${at[MBR]} i t
  for name in "${!at[@]}"; do at[$name]=$((at[$name] - mbr_linear)); done
  # ptgen: br_count = int((n + 2) / 3) - 1 EBRs; entries 1-3 in the MBR, 4-6 in EBR1, ...
  for ((t = 1; t <= (${#names[@]} + 2) / 3 - 1; t++)); do tables+=("EBR$t"); done
  local last=${names[-1]}
  truncate -s $((at[$last] + len[$last] + len[BMTPOOL])) "$out"
  slot() {  # TABLE SLOT TYPE LBA COUNT
    local e=$((at[$1] + 0x1be + 16 * $2))
    poke "$out" $((e + 4)) "$3"; poke32 "$out" $((e + 8)) "$4"; poke32 "$out" $((e + 12)) "$5"
  }
  for t in "${tables[@]}"; do poke "$out" $((at[$t] + 510)) 55aa; done
  [ ${#tables[@]} -eq 1 ] || slot MBR 0 05 $((at[EBR1] / 512)) 0xffffffff
  local s count
  for ((i = 0; i < ${#names[@]}; i++)); do
    name=${names[i]}
    if ((i < 3)); then t=MBR s=$((i + 1)); else t=EBR$(((i - 3) / 3 + 1)) s=$(((i - 3) % 3)); fi
    count=$((len[$name] / 512))
    if [ "$name" = "$last" ]; then
      count=0xffffffff
      [ ${#tables[@]} -eq 1 ] || count=$((0xffffffff - (at[$name] - at[EBR1]) / 512))
    fi
    slot "$t" "$s" 83 $(((at[$name] - at[$t]) / 512)) "$count"
  done
  local next
  for ((t = 1; t + 1 < ${#tables[@]}; t++)); do
    next=EBR$((t + 1))
    slot "EBR$t" 3 05 $(((at[$next] - at[EBR1]) / 512)) 0xffffffff
  done
  local tmp
  tmp=$(legacy_tmp)/ptgen-boot
  mkdir -p "$tmp"
  head -c 4096 /dev/urandom > "$tmp/kernel"
  head -c 2048 /dev/urandom > "$tmp/ramdisk"
  mkbootimg --kernel "$tmp/kernel" --ramdisk "$tmp/ramdisk" --pagesize 2048 -o "$tmp/boot.img"
  for name in BOOTIMG RECOVERY; do
    dd if="$tmp/boot.img" of="$out" bs=4096 seek=$((at[$name])) oflag=seek_bytes conv=notrunc status=none
  done
  poke32 "$out" $((at[UBOOT])) 0x58881688
  poke "$out" $((at[UBOOT] + 8)) 4c4b
}
