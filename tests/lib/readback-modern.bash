# Fixtures of readback2fw-modern.bats: a small modern (MT6768-like, A/B, eMMC) readback made by real
# tools.
#
#   modern_readback DIR [--lk2-differs] [--boot-ctrl a|b] [--ufs] [--super FILE] [--userdata FILE]
#                   [--key NAME[,NAME]]
#
# writes DIR/User (GPT by sgdisk at 512-byte sectors, 64 MiB user area, the backup GPT at the
# start of MediaTek's 512 KiB sgpt tail as on the phones; --ufs: 4096-byte sectors, partitioned
# through a loop device of that sector size, and a UFS_BOOT BOOT1), DIR/Boot1 (boot1-image.py) and
# DIR/preloader.bin.  Rows, in GPT order, 1 MiB aligned:
#   misc (a MediaTek boot_ctrl at 2048 with --boot-ctrl: MODERN.md 1.5), vbmeta_a, vbmeta_b,
#   lk, lk2 (lk's bytes, or others with --lk2-differs), tee1, tee2 (tee1's bytes), boot_a,
#   boot_b (mkbootimg, different kernels), super (random; --super: FILE's bytes, the partition
#   as large as FILE rounded up to a MiB, the user area larger by as much), --key's rows (1 MiB of
#   random bytes each: md_udc, metadata), userdata (ext4, mke2fs -d; --userdata: FILE's bytes, the
#   partition FILE's size rounded up to a MiB), otp, flashinfo.
modern_readback() {  # DIR [--lk2-differs] [--boot-ctrl a|b] [--ufs] [--super FILE] [--userdata FILE] [--key NAMES]
  local dir=$1 lk2_differs=0 boot_ctrl="" sector=512 storage=emmc super="" super_mib=6 userdata="" data_mib=24 keys=()
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      --lk2-differs) lk2_differs=1; shift ;;
      --boot-ctrl) boot_ctrl=$2; shift 2 ;;
      --ufs) sector=4096 storage=ufs; shift ;;
      --super) super=$2; super_mib=$(( ($(stat -c %s "$2") + (1 << 20) - 1) >> 20 )); shift 2 ;;
      --userdata) userdata=$2; data_mib=$(( ($(stat -c %s "$2") + (1 << 20) - 1) >> 20 )); shift 2 ;;
      --key) IFS=, read -r -a keys <<<"$2"; shift 2 ;;
      *) echo "modern_readback: unknown option $1" >&2; return 2 ;;
    esac
  done
  mkdir -p "$dir/parts"
  local user=$dir/User total=$(( (34 + super_mib + data_mib + ${#keys[@]}) << 20 )) p=$dir/parts
  # The backup GPT: its header and 128 entries of 128 bytes.
  truncate -s $(( total - 524288 + sector + 16384 )) "$user"
  # name:MiB, from 1 MiB on
  local rows=(misc:1 vbmeta_a:1 vbmeta_b:1 lk:1 lk2:1 tee1:1 tee2:1 boot_a:4 boot_b:4 "super:$super_mib"
              "${keys[@]/%/:1}" "userdata:$data_mib" otp:1 flashinfo:1)
  local mib_sectors=$(( (1 << 20) / sector ))
  local args=(-o -a "$mib_sectors") i=1 start=$mib_sectors row name mib
  for row in "${rows[@]}"; do
    name=${row%%:*} mib=${row#*:}
    args+=(-n "$i:$start:$(( start + mib * mib_sectors - 1 ))" -c "$i:$name" -t "$i:0700")
    start=$(( start + mib * mib_sectors )) i=$(( i + 1 ))
  done
  if [ "$sector" = 512 ]; then
    sgdisk "${args[@]}" "$user" >/dev/null
  else
    local loop
    loop=$(losetup -f --show -b 4096 "$user")
    sgdisk "${args[@]}" "$loop" >/dev/null
    losetup -d "$loop"
  fi
  truncate -s "$total" "$user"
  # Contents: deterministic bytes (openssl's keystream of a fixed key), images by their tools.
  random_bytes() { openssl enc -aes-128-ctr -nosalt -K 00112233445566778899aabbccddeeff -iv "$2" </dev/zero 2>/dev/null | head -c "$1"; }
  random_bytes 4096 01 > "$p/vbmeta_a"
  random_bytes 4096 02 > "$p/vbmeta_b"
  random_bytes 300000 03 > "$p/lk"
  if [ "$lk2_differs" = 1 ]; then random_bytes 300000 04 > "$p/lk2"; else cp "$p/lk" "$p/lk2"; fi
  random_bytes 200000 05 > "$p/tee1"
  cp "$p/tee1" "$p/tee2"
  local slot
  for slot in a b; do
    random_bytes 500000 "0${slot/a/6}" | sed "s/^/kernel-$slot/" > "$p/kernel_$slot"
    printf 'ramdisk %s\n' "$slot" > "$p/ramdisk_$slot"
    mkbootimg --kernel "$p/kernel_$slot" --ramdisk "$p/ramdisk_$slot" --pagesize 2048 -o "$p/boot_$slot" >/dev/null
  done
  if [ -n "$super" ]; then cp "$super" "$p/super"; else random_bytes $(( 4 << 20 )) 08 > "$p/super"; fi
  mkdir -p "$p/data/media"
  random_bytes 100000 09 > "$p/data/media/photo.jpg"
  if [ -n "$userdata" ]; then cp "$userdata" "$p/userdata"
  else mke2fs -q -F -t ext4 -b 4096 -E root_owner=0:0 -d "$p/data" "$p/userdata" 24M >/dev/null 2>&1; fi
  local key n=10
  for key in "${keys[@]}"; do random_bytes 65536 "$n" > "$p/$key"; n=$(( n + 1 )); done
  if [ -n "$boot_ctrl" ]; then
    # struct boot_ctrl: u32 LE magic 0x19191100, u8 version, slot_info[2] (priority:3,
    # retry_count:3, successful_boot:1, normal_boot:1): the active slot has the higher priority.
    local a=$'\x3f' b=$'\x3e'
    [ "$boot_ctrl" = a ] || { a=$'\x3e'; b=$'\x3f'; }
    head -c 2048 /dev/zero > "$p/misc"
    printf '\x00\x11\x19\x19\x01%s%s' "$a" "$b" >> "$p/misc"
  fi
  local f
  for f in misc vbmeta_a vbmeta_b lk lk2 tee1 tee2 boot_a boot_b super userdata "${keys[@]}"; do
    [ -e "$p/$f" ] || continue
    read -r start _ < <(any_partition_range "$user" "$f")
    dd if="$p/$f" of="$user" bs=512 seek=$(( start / 512 )) conv=notrunc status=none
  done
  python3 "$MTKFW_ROOT/tests/lib/boot1-image.py" "$dir/Boot1" "$dir/preloader.bin" --name preloader_k68v1_64.bin \
    --storage "$storage"
}

# partition_range (sfdisk's JSON) for a dump of 512- or 4096-byte sectors: sfdisk reads a file at
# 512, so a 4096-byte GPT is read through a loop device of that sector size.
any_partition_range() {  # DUMP NAME
  local range loop
  range=$(partition_range "$1" "$2")
  if [ -z "$range" ]; then
    loop=$(losetup -f --show -r -b 4096 "$1") || return
    range=$(partition_range "$loop" "$2")
    losetup -d "$loop"
  fi
  echo "$range"
}
