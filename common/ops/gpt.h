// GUID Partition Table of a USER dump.
// Sources: UEFI Specification 2.10, section 5.3 (header and entry layout, CRC rules);
// MediaTek's backup placement: doc/FORMATS.md "GPT" (backup at the start of the 512 KiB sgpt area).
//
// GPT header (at LBA 1; backup at the primary's AlternateLBA):
//   off  width  field                     expected / on mismatch
//   0x00 8      signature                 "EFI PART"         - not a GPT header
//   0x08 4      revision                  0x00010000         - accepted whatever it is
//   0x0C 4      header_size               92 .. sector size  - header damaged
//   0x10 4      header_crc32              CRC32 of header_size bytes with this field zeroed - damaged
//   0x18 8      my_lba                    1 (primary) / AlternateLBA (backup) - damaged
//   0x20 8      alternate_lba             the other header's LBA
//   0x28 8      first_usable_lba          <= last_usable_lba - damaged
//   0x30 8      last_usable_lba
//   0x38 16     disk_guid
//   0x48 8      partition_entry_lba       entry array start - must not overlap the header
//   0x50 4      num_partition_entries     1 .. 16384
//   0x54 4      size_of_partition_entry   128 x 2^n, <= 4096 - damaged
//   0x58 4      partition_entry_array_crc32  CRC32 of num x size bytes - entries damaged
// Partition entry (size_of_partition_entry bytes, 128 used):
//   0x00 16 type GUID (all zero: unused) · 0x10 16 unique GUID · 0x20 8 first LBA ·
//   0x28 8 last LBA (inclusive; first > last: damaged) · 0x30 8 attributes · 0x38 72 name (UTF-16LE)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/failure.h"
#include "io/input.h"
#include "format/table.h"

namespace mtkfw {

struct GptHeader {
    uint32_t header_size = 0;
    uint64_t my_lba = 0, alternate_lba = 0;
    uint64_t first_usable_lba = 0, last_usable_lba = 0;
    std::string disk_guid;
    uint64_t entries_lba = 0;
    uint32_t entry_count = 0, entry_size = 0;
    uint32_t entries_crc32 = 0;

    uint64_t entries_bytes() const { return static_cast<uint64_t>(entry_count) * entry_size; }
};

// Checks one header sector.  Returns nullopt and sets `why` when it is not a valid header
// for `expected_lba` (0: do not check my_lba).
std::optional<GptHeader> parse_gpt_header(Bytes sector, uint64_t expected_lba, std::string* why);

// Checks the entry array against its header's CRC and turns the used entries into rows.
// Returns false and sets `why` when the CRC does not match or an entry is malformed.
bool parse_gpt_entries(Bytes entries, const GptHeader& header, uint32_t sector_size, PartitionTable* table,
                       std::string* why);

// "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7": the mixed-endian text form of a 16-byte GUID.
std::string guid_text(Bytes guid16);

// "512" or "4096" (the --sector-size option); anything else is a usage Failure.
uint32_t parse_sector_size(std::string_view text, std::string_view option);

struct GptReadOptions {
    std::optional<uint32_t> sector_size;  // 512 or 4096; detected when unset
    // A dump shorter than its GPT is a warning, not a Failure: for tools that need only one
    // partition and check its own end (part-cut).
    bool allow_truncated = false;
};

// Reads the primary GPT and, on a seekable input, the backup; falls back to the backup when
// the primary is damaged.  Problems that still leave a trustworthy table are Notices; no valid
// GPT, or a dump shorter than its GPT (naming the cut partitions; unless allow_truncated), is a
// Failure.
// A pipe is read forward only as far as the primary entries.
PartitionTable read_gpt(Input& in, const GptReadOptions& options, Notices* notices);

}  // namespace mtkfw
