# Fixture builders for tests/part-cut.bats (on top of fixtures.bash's mtk_dump).

# random_dump FILE: mtk_dump with every partition (and the gaps between them) full of random
# bytes, written from sector 1024 up to the backup GPT so the tables stay intact.
random_dump() {
  mtk_dump "$1"
  dd if=/dev/urandom of="$1" bs=512 seek=1024 count=$(( 130000 - 1024 )) conv=notrunc status=none
}

# sparse_dump FILE: mtk_dump whose userdata (sectors 57344..126975, 34 MiB) is holes except
# 1 MiB of random data at 4 MiB and 512 KiB at 20 MiB into it.
sparse_dump() {
  mtk_dump "$1"
  dd if=/dev/urandom of="$1" bs=1M seek=$(( 57344 * 512 + 4 * 1048576 )) count=1 \
     oflag=seek_bytes conv=notrunc status=none
  dd if=/dev/urandom of="$1" bs=512K seek=$(( 57344 * 512 + 20 * 1048576 )) count=1 \
     oflag=seek_bytes conv=notrunc status=none
}

# allocated FILE: bytes the file occupies on disk.
allocated() {
  echo $(( $(stat -c %b "$1") * $(stat -c %B "$1") ))
}

# assert_same_as_dd IMAGE DUMP NAME: IMAGE holds exactly partition NAME of DUMP, as sfdisk places
# it and dd reads it (neither is our code).
assert_same_as_dd() {
  local start size
  read -r start size < <(partition_range "$2" "$3")
  cmp "$1" <(dd_range "$2" "$start" "$size")
}
