#include "format/gpt.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw {
namespace {

using namespace gpt;

uint32_t crc32_of(Bytes b) {
    return static_cast<uint32_t>(crc32(0L, b.data(), static_cast<uInt>(b.size())));
}

// The reason alone: the reader puts the dump's name and the copy around it.
[[noreturn]] void damaged(const std::string& why) { fail_input("", why); }

std::string lba_text(uint64_t lba) { return "LBA " + std::to_string(lba); }

void check_header_crc(Bytes sector, uint32_t header_size) {
    std::vector<uint8_t> copy(sector.begin(), sector.begin() + header_size);
    put_le32(copy.data() + kHeaderCrcAt, 0);
    if (crc32_of(copy) != le32(sector, kHeaderCrcAt)) damaged("header CRC32 mismatch");
}

void check_header_fields(const GptHeader& h, uint64_t expected_lba) {
    if (expected_lba && h.my_lba != expected_lba) {
        damaged("header says it is at " + lba_text(h.my_lba) + ", found at " + lba_text(expected_lba));
    }
    if (h.first_usable_lba > h.last_usable_lba) damaged("first usable LBA is after the last");
    const bool power_of_two = (h.entry_size & (h.entry_size - 1)) == 0;
    if (h.entry_size < kMinEntrySize || h.entry_size > kMaxEntrySize || !power_of_two || h.entry_count == 0 ||
        h.entries_bytes() > kMaxEntriesBytes) {
        damaged("entry array of " + std::to_string(h.entry_count) + " x " + std::to_string(h.entry_size) +
                " bytes is invalid");
    }
    if (h.entries_lba == h.my_lba) damaged("entry array overlaps the header");
}

// One used entry (its type GUID is not all zero) as a row; `index` is 1-based.
PartitionRow entry_row(Bytes entry, uint32_t index, uint32_t sector_size) {
    const uint64_t first = le64(entry, kFirstLbaAt), last = le64(entry, kLastLbaAt);
    if (first > last || last >= UINT64_MAX / sector_size) {
        damaged("entry " + std::to_string(index) + " has an invalid range (LBA " + std::to_string(first) + " to " +
                std::to_string(last) + ")");
    }
    PartitionRow r;
    r.index = index;
    r.start = first * sector_size;
    r.size = (last - first + 1) * sector_size;
    r.type_guid = guid_text(entry.subspan(kTypeGuidAt, kGuidWidth));
    r.uuid = guid_text(entry.subspan(kUniqueGuidAt, kGuidWidth));
    r.attributes = le64(entry, kAttributesAt);
    r.name = utf16le_to_utf8(entry.subspan(kNameAt, kNameWidth));
    return r;
}

}  // namespace

std::string guid_text(Bytes g) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", le32(g, 0), le16(g, 4),
                  le16(g, 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
    return buf;
}

uint64_t readback_length(const PartitionTable& t) {
    if (t.label == "mbr") return t.disk_size;  // the user area as far as the dump holds it: no GPT tail
    // A lying table's usable end is past any disk: no readback length covers it.
    if (t.sector_size == 0 || t.last_lba >= (UINT64_MAX - kSgptBytes) / t.sector_size - 1) return UINT64_MAX;
    const uint64_t usable_end = (t.last_lba + 1) * t.sector_size;
    return std::max(t.disk_size, usable_end + kSgptBytes);
}

std::string readback_length_text(const PartitionTable& t) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "start address 0x0, length 0x%llX", static_cast<unsigned long long>(readback_length(t)));
    return buf;
}

GptHeader parse_gpt_header(Bytes sector, uint64_t expected_lba) {
    if (sector.size() < kMinHeaderSize || !has_magic(sector, kSignatureAt, kSignature)) {
        damaged("no \"EFI PART\" signature");
    }
    GptHeader h;
    h.header_size = le32(sector, kHeaderSizeAt);
    if (h.header_size < kMinHeaderSize || h.header_size > sector.size()) {
        damaged("header size " + std::to_string(h.header_size) + " out of range");
    }
    check_header_crc(sector, h.header_size);
    h.my_lba = le64(sector, kMyLbaAt);
    h.alternate_lba = le64(sector, kAlternateLbaAt);
    h.first_usable_lba = le64(sector, kFirstUsableLbaAt);
    h.last_usable_lba = le64(sector, kLastUsableLbaAt);
    h.disk_guid = guid_text(sector.subspan(kDiskGuidAt, kGuidWidth));
    h.entries_lba = le64(sector, kEntriesLbaAt);
    h.entry_count = le32(sector, kEntryCountAt);
    h.entry_size = le32(sector, kEntrySizeAt);
    h.entries_crc32 = le32(sector, kEntriesCrcAt);
    check_header_fields(h, expected_lba);
    return h;
}

PartitionTable parse_gpt_entries(Bytes entries, const GptHeader& h, uint32_t sector_size) {
    if (entries.size() != h.entries_bytes() || crc32_of(entries) != h.entries_crc32) {
        damaged("partition entry array CRC32 mismatch");
    }
    PartitionTable t;
    t.sector_size = sector_size;
    t.first_lba = h.first_usable_lba;
    t.last_lba = h.last_usable_lba;
    t.disk_guid = h.disk_guid;
    const uint64_t last_header = std::max(h.my_lba, h.alternate_lba);
    if (last_header >= UINT64_MAX / sector_size) {
        damaged("alternate LBA " + std::to_string(h.alternate_lba) + " is out of range");
    }
    t.disk_size = (last_header + 1) * sector_size;
    for (uint32_t i = 0; i < h.entry_count; ++i) {
        const Bytes e = entries.subspan(static_cast<size_t>(i) * h.entry_size, kEntryUsedBytes);
        if (all_equal(e.subspan(kTypeGuidAt, kGuidWidth), 0)) continue;
        t.rows.push_back(entry_row(e, i + 1, sector_size));
    }
    return t;
}

}  // namespace mtkfw
