# Oracles from tools nobody here wrote: what a partition's range is (sfdisk) and which bytes a
# range holds (dd).  Sourced by test_helper.bash.

# partition_range DUMP NAME: "START SIZE" in bytes, from sfdisk's JSON.
partition_range() {
  sfdisk -J "$1" 2>/dev/null | jq -r --arg n "$2" \
    '.partitiontable | .sectorsize as $s | .partitions[] | select(.name == $n) | "\(.start * $s) \(.size * $s)"'
}

# dd_range DUMP START SIZE: the bytes dd copies for that range, on stdout.
dd_range() {
  dd if="$1" bs=4M iflag=skip_bytes,count_bytes skip="$2" count="$3" status=none
}
