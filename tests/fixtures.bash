# Fixture builders: real tools (sgdisk, mke2fs, mkbootimg) in the test's scratch folder.

# mtk_dump FILE: a small MediaTek-like USER dump (512-byte sectors, stock MT6752 names), GPT made
# by sgdisk for a disk 512 KiB shorter than the file so the backup sits at the start of the
# sgpt tail, as on the phones.  Partition contents are left zero; callers fill them.
mtk_dump() {
  local f=$1
  local total=$(( 64 * 1024 * 1024 ))             # 64 MiB user area
  truncate -s $(( total - 524288 + 33 * 512 )) "$f"
  sgdisk -o -a 1 \
    -n 1:1024:2047 -c 1:proinfo -t 1:0700 \
    -n 2:2048:4095 -c 2:nvram -t 2:0700 \
    -n 3:4096:4607 -c 3:seccfg -t 3:0700 \
    -n 4:4608:5375 -c 4:lk -t 4:0700 \
    -n 5:5376:9471 -c 5:boot -t 5:0700 \
    -n 6:9472:13567 -c 6:recovery -t 6:0700 \
    -n 7:13568:15615 -c 7:logo -t 7:0700 \
    -n 8:16384:57343 -c 8:system -t 8:0700 \
    -n 9:57344:126975 -c 9:userdata -t 9:0700 \
    -n 10:126976:129999 -c 10:flashinfo -t 10:0700 \
    "$f" >/dev/null
  truncate -s "$total" "$f"
}
