// The 512-byte DOS partition table (MBR and each EBR of a chain) as MediaTek's MT65xx eMMC phones
// write it, parsed from bytes (no I/O: ops/mbr_reader.h finds the MBR and follows the chain).
// Sources: the DOS/IBM partition table layout (Linux block/partitions/msdos.c reads the same
// fields); MediaTek's use of it (ptgen.pl GenMBRFile, verified on an MT6572): doc/FORMATS.md
// "MBR and EBR (legacy MT65xx)".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace mtkfw {
namespace mbr {

// One table sector, little-endian:
//                                                width  expected / on mismatch
constexpr size_t kSectorBytes = 512;           //        a shorter buffer - not a table
constexpr size_t kDiskIdAt = 440;              // 4      any (MediaTek: 0); listed as sfdisk's "id"
constexpr size_t kEntriesAt = 446;             // 4 x 16 the slots below
constexpr size_t kEntryBytes = 16;
constexpr size_t kSlots = 4;
constexpr size_t kSignatureAt = 510;           // 2      55 AA - not a table (the caller names which)

// One 16-byte entry (slot) at kEntriesAt + 16 x slot:
constexpr size_t kStatusAt = 0;                // 1      0x00 or 0x80 (MediaTek: 0) - ignored
constexpr size_t kTypeAt = 4;                  // 1      0x00 empty; 0x05, 0x0F, 0x85 a link to an
                                               //        EBR; anything else a data partition
constexpr size_t kLbaAt = 8;                   // 4      sectors: MBR and data slots relative to
                                               //        their own table, EBR links relative to EBR1
constexpr size_t kCountAt = 12;                // 4      sectors; 0 with a type - an empty slot.
                                               //        MediaTek: 0xFFFFFFFF on links, and on the
                                               //        last partition 0xFFFFFFFF - (start - EBR1)
                                               //        (it runs to the end of the user area)
// CHS fields (+1..+3, +5..+7) are zero on MediaTek's tables and ignored, like Linux does.

constexpr uint8_t kTypeLinux = 0x83;           // MediaTek's ext4/FAT partitions (ptgen.pl)
constexpr uint8_t kTypeExtended = 0x05;        // MediaTek's slot 0 of the MBR, slot 3 of a full EBR
constexpr uint32_t kCountToEnd = 0xFFFFFFFF;   // MediaTek's "to the end" count (links, last partition)

struct Entry {
    uint8_t type = 0;
    uint32_t lba = 0, count = 0;

    bool empty() const { return type == 0 || count == 0; }
    bool link() const { return !empty() && (type == 0x05 || type == 0x0F || type == 0x85); }
};

struct Sector {
    uint32_t disk_id = 0;
    std::array<Entry, kSlots> slots{};
};

// Parses one table sector.  Throws Failure (invalid input) whose text is only the reason
// ("no 55 AA signature at byte 510"): the caller names the table and where it sits.
Sector parse_sector(Bytes sector);

// MediaTek's MBR shape (doc/FORMATS.md): 55 AA, slot 0 a link, slots 1-3 type 0x83 with counts.
// What gpt-list looks for at the candidate offsets; a GPT's protective MBR (type 0xEE) is not it.
bool is_mediatek_mbr(Bytes sector);

// "5", "83": a type as sfdisk --json writes it (hex, no 0x); the table's type column for MBR rows.
std::string type_text(uint8_t type);

}  // namespace mbr
}  // namespace mtkfw
