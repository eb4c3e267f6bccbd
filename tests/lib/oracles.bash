# Oracles from tools nobody here wrote: what a partition's range is (sfdisk) and which bytes a
# range holds (dd).  Sourced by test_helper.bash.

# partition_range DUMP NAME: "START SIZE" in bytes, from sfdisk's JSON.
partition_range() {
  sfdisk -J "$1" 2>/dev/null | jq -r --arg n "$2" \
    '.partitiontable | .sectorsize as $s | .partitions[] | select(.name == $n) | "\(.start * $s) \(.size * $s)"'
}

# cut_inside DUMP NAME FILE: DUMP cut in the middle of partition NAME (sfdisk's range) into FILE,
# as a readback stopped early would be.
cut_inside() {
  local start size
  read -r start size < <(partition_range "$1" "$2")
  head -c $(( start + size / 2 )) "$1" > "$3"
}

# dd_range DUMP START SIZE: the bytes dd copies for that range, on stdout.
dd_range() {
  dd if="$1" bs=4M iflag=skip_bytes,count_bytes skip="$2" count="$3" status=none
}

# byte_sum FILE: SP Flash Tool's Checksum.ini value for FILE (the 16-bit sum of its bytes as
# stored), from python.
byte_sum() { python3 -c 'import sys; print("0x%04X" % (sum(open(sys.argv[1], "rb").read()) % 65536))' "$1"; }
