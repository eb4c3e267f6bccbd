// GUID Partition Table: one header sector and its entry array, parsed from bytes (no I/O; the
// dump is read and both copies compared by ops/gpt_reader.h).
// Sources: UEFI Specification 2.10, section 5.3 (header and entry layout, CRC rules);
// MediaTek's backup placement: doc/FORMATS.md "GPT" (backup at the start of the 512 KiB sgpt area).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "format/table.h"

namespace mtkfw {
namespace gpt {

// GPT header (at LBA 1; backup at the primary's AlternateLBA), little-endian:
//                                                width  expected / on mismatch
constexpr size_t kSignatureAt = 0x00;          // 8      "EFI PART" - not a GPT header
constexpr std::string_view kSignature = "EFI PART";
constexpr size_t kRevisionAt = 0x08;           // 4      0x00010000 - accepted whatever it is
constexpr size_t kHeaderSizeAt = 0x0C;         // 4      kMinHeaderSize .. sector size - damaged
constexpr size_t kHeaderCrcAt = 0x10;          // 4      CRC32 of header_size bytes with this field zeroed - damaged
constexpr size_t kMyLbaAt = 0x18;              // 8      1 (primary) / AlternateLBA (backup) - damaged
constexpr size_t kAlternateLbaAt = 0x20;       // 8      the other header's LBA; (it + 1) sectors must fit 64 bits
constexpr size_t kFirstUsableLbaAt = 0x28;     // 8      <= last_usable_lba - damaged
constexpr size_t kLastUsableLbaAt = 0x30;      // 8
constexpr size_t kDiskGuidAt = 0x38;           // 16
constexpr size_t kEntriesLbaAt = 0x48;         // 8      entry array start; == my_lba: damaged (overlap)
constexpr size_t kEntryCountAt = 0x50;         // 4      >= 1, count x size <= kMaxEntriesBytes - damaged
constexpr size_t kEntrySizeAt = 0x54;          // 4      128 x 2^n, <= 4096 - damaged
constexpr size_t kEntriesCrcAt = 0x58;         // 4      CRC32 of count x size bytes - entries damaged
constexpr uint32_t kMinHeaderSize = 92;
constexpr uint32_t kMinEntrySize = 128, kMaxEntrySize = 4096;
constexpr uint64_t kMaxEntriesBytes = 4u << 20;  // 16384 entries of 256 bytes: far beyond any real table

// Partition entry (size_of_partition_entry bytes, the first kEntryUsedBytes read):
constexpr size_t kTypeGuidAt = 0x00;           // 16     all zero: an unused slot
constexpr size_t kUniqueGuidAt = 0x10;         // 16
constexpr size_t kFirstLbaAt = 0x20;           // 8
constexpr size_t kLastLbaAt = 0x28;            // 8      inclusive; first > last: damaged
constexpr size_t kAttributesAt = 0x30;         // 8
constexpr size_t kNameAt = 0x38;               // 72     UTF-16LE, NUL-padded
constexpr size_t kGuidWidth = 16, kNameWidth = 72;
constexpr size_t kEntryUsedBytes = 128;

// MediaTek's reserved area at the end of the user area (the scatter's sgpt): it starts after the
// last usable LBA and holds the backup GPT at its start (doc/FORMATS.md "MediaTek's tail").
constexpr uint64_t kSgptBytes = 512 * 1024;

}  // namespace gpt

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

// Checks one header sector for `expected_lba` (0: do not check my_lba).  Throws Failure
// (invalid input) whose text is only the reason ("header CRC32 mismatch"): the caller names
// the dump and the copy.
GptHeader parse_gpt_header(Bytes sector, uint64_t expected_lba);

// Checks the entry array against its header's CRC and turns the used entries into rows (byte
// offsets for `sector_size`).  Throws Failure (invalid input, the reason only) when the CRC does
// not match or an entry is malformed.
PartitionTable parse_gpt_entries(Bytes entries, const GptHeader& header, uint32_t sector_size);

// The SP Flash Tool readback length (from address 0x0) that covers the whole user area the table
// describes: up to the end of MediaTek's sgpt area after the usable range, and at least up to the
// backup header.  A dump shorter than this lacks part of the phone.
uint64_t readback_length(const PartitionTable& table);
// The same as SP Flash Tool's Readback dialog takes it: "start address 0x0, length 0x2D080000".
std::string readback_length_text(const PartitionTable& table);

// "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7": the mixed-endian text form of a 16-byte GUID.
std::string guid_text(Bytes guid16);

}  // namespace mtkfw
