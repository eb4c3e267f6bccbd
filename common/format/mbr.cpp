#include "format/mbr.h"

#include <cstdio>

#include "base/failure.h"

namespace mtkfw {
namespace mbr {

Sector parse_sector(Bytes sector) {
    if (sector.size() < kSectorBytes) fail_input("", "a table sector is 512 bytes, got " + std::to_string(sector.size()));
    if (sector[kSignatureAt] != 0x55 || sector[kSignatureAt + 1] != 0xAA) {
        fail_input("", "no 55 AA signature at byte 510");
    }
    Sector s;
    s.disk_id = le32(sector, kDiskIdAt);
    for (size_t i = 0; i < kSlots; ++i) {
        const size_t at = kEntriesAt + i * kEntryBytes;
        s.slots[i].type = sector[at + kTypeAt];
        s.slots[i].lba = le32(sector, at + kLbaAt);
        s.slots[i].count = le32(sector, at + kCountAt);
    }
    return s;
}

bool is_mediatek_mbr(Bytes sector) {
    if (sector.size() < kSectorBytes || sector[kSignatureAt] != 0x55 || sector[kSignatureAt + 1] != 0xAA) return false;
    const Sector s = parse_sector(sector);
    if (!s.slots[0].link() || s.slots[0].lba == 0) return false;
    for (size_t i = 1; i < kSlots; ++i) {
        if (s.slots[i].type != kTypeLinux || s.slots[i].count == 0 || s.slots[i].lba == 0) return false;
    }
    return true;
}

std::string type_text(uint8_t type) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", type);
    return buf;
}

}  // namespace mbr
}  // namespace mtkfw
