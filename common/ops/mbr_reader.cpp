#include "ops/mbr_reader.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <cstdio>

#include "base/text.h"
#include "format/mbr.h"

namespace mtkfw {
namespace {

constexpr uint64_t kSector = mbr::kSectorBytes;
constexpr uint64_t kSearchStep = 512 * 1024, kSearchEnd = 32u << 20;
constexpr size_t kMaxTables = 128;  // far beyond ptgen's 3 partitions per EBR on any real phone

std::string at_text(uint64_t offset) { return hex(offset); }

// One slot's place, for messages: "EBR1 slot 3".
std::string slot_name(const std::string& table, size_t slot) { return table + " slot " + std::to_string(slot); }

mbr::Sector read_table(const Input& in, uint64_t offset, const std::string& name, const std::string& linked_by) {
    const std::string where = name + " at " + at_text(offset);
    if (offset > in.size() || in.size() - offset < kSector) {
        fail_input(in.name(), where + " is past the end of the dump" +
                                  (linked_by.empty() ? "" : " (" + linked_by + " links to it: a damaged link?)"));
    }
    std::vector<uint8_t> sector(kSector);
    in.read_at(sector.data(), sector.size(), offset);
    try {
        return mbr::parse_sector(sector);
    } catch (const Failure& f) {
        if (f.code() != Exit::invalid_input) throw;
        fail_input(in.name(), where + ": " + f.what() +
                                  (linked_by.empty() ? "" : " (" + linked_by + " links to it: a damaged link?)"));
    }
}

// A byte range the chain claims: a table's sector or a data partition, for the overlap check.
struct Claim {
    uint64_t start, end;
    std::string what;
    size_t row = SIZE_MAX;  // the row a data partition became; SIZE_MAX for a table's sector
};

}  // namespace

std::optional<uint64_t> find_mbr(const Input& in) {
    if (!in.seekable()) return std::nullopt;
    std::vector<uint8_t> sector(kSector);
    for (const uint64_t lba1 : {uint64_t{512}, uint64_t{4096}}) {  // a GPT dump is read as a GPT
        if (in.size() < lba1 + kSector) continue;
        in.read_at(sector.data(), sector.size(), lba1);
        if (has_magic(sector, 0, "EFI PART")) return std::nullopt;
    }
    std::optional<uint64_t> shaped;  // the first MBR of MediaTek's shape, whatever its link holds
    for (uint64_t at = 0; at < kSearchEnd && at + kSector <= in.size(); at += kSearchStep) {
        in.read_at(sector.data(), sector.size(), at);
        if (!mbr::is_mediatek_mbr(sector)) continue;
        if (!shaped) shaped = at;
        const uint64_t ebr1 = at + uint64_t{mbr::parse_sector(sector).slots[0].lba} * kSector;
        if (ebr1 + kSector > in.size()) continue;
        in.read_at(sector.data(), sector.size(), ebr1);
        if (sector[mbr::kSignatureAt] == 0x55 && sector[mbr::kSignatureAt + 1] == 0xAA) return at;
    }
    // A damaged EBR1 is said by read_mbr, naming it, rather than as "no GPT".
    return shaped;
}

PartitionTable read_mbr(const Input& in, uint64_t mbr_offset, Notices& notices) {
    PartitionTable t;
    t.label = "mbr";
    t.sector_size = kSector;
    t.dump_size = in.size();
    t.disk_size = in.size();
    t.first_lba = mbr_offset / kSector;
    t.last_lba = in.size() / kSector - 1;
    std::vector<Claim> claims;
    std::optional<uint64_t> ebr1;
    std::string ebr1_link;

    // Every data slot of one table: rows now, the last one's "to the end" count settled below.
    auto add_data = [&](const mbr::Entry& e, uint64_t table_at, const std::string& table, size_t slot, uint32_t index) {
        PartitionRow r;
        r.index = index;
        r.start = table_at + uint64_t{e.lba} * kSector;
        r.size = uint64_t{e.count} * kSector;
        r.type_guid = mbr::type_text(e.type);
        t.sources[index] = table;
        r.content = "unchecked";
        claims.push_back({r.start, r.end(), slot_name(table, slot) + " (p" + std::to_string(index) + ")", t.rows.size()});
        t.rows.push_back(r);
    };

    const mbr::Sector m = read_table(in, mbr_offset, "MBR", "");
    char id[16];
    std::snprintf(id, sizeof id, "0x%08x", m.disk_id);  // as sfdisk prints a dos label's id
    t.disk_guid = id;
    claims.push_back({mbr_offset, mbr_offset + kSector, "MBR"});
    t.tables.push_back({"MBR", mbr_offset});
    for (size_t i = 0; i < mbr::kSlots; ++i) {
        const mbr::Entry& e = m.slots[i];
        if (e.empty()) continue;
        if (!e.link()) {
            add_data(e, mbr_offset, "MBR", i, static_cast<uint32_t>(i + 1));
            continue;
        }
        if (ebr1) fail_input(in.name(), "MBR at " + at_text(mbr_offset) + ": slots hold two links to EBRs");
        ebr1 = mbr_offset + uint64_t{e.lba} * kSector;
        ebr1_link = slot_name("MBR", i);
        PartitionRow r;
        r.index = static_cast<uint32_t>(i + 1);
        r.start = *ebr1;
        r.size = *ebr1 < in.size() ? in.size() - *ebr1 : 0;
        r.type_guid = mbr::type_text(e.type);
        t.sources[r.index] = "MBR";
        r.content = "unchecked";
        t.rows.push_back(r);
    }

    // The chain: data relative to its own table, links relative to EBR1 (MODERN.md 5.1).
    uint32_t next_index = 5;
    std::set<uint64_t> seen = {mbr_offset};
    std::optional<uint64_t> at = ebr1;
    std::string linked_by = ebr1_link;
    for (size_t n = 1; at; ++n) {
        const std::string name = "EBR" + std::to_string(n);
        if (n > kMaxTables) fail_input(in.name(), "more than " + std::to_string(kMaxTables) + " EBRs: not a MediaTek chain");
        if (!seen.insert(*at).second) {
            fail_input(in.name(), linked_by + " links back to the table at " + at_text(*at) + ": a loop in the EBR chain");
        }
        const mbr::Sector s = read_table(in, *at, name, linked_by);
        claims.push_back({*at, *at + kSector, name});
        t.tables.push_back({name, *at});
        std::optional<uint64_t> next;
        for (size_t i = 0; i < mbr::kSlots; ++i) {
            const mbr::Entry& e = s.slots[i];
            if (e.empty()) continue;
            if (!e.link()) {
                add_data(e, *at, name, i, next_index++);
                continue;
            }
            if (next) fail_input(in.name(), name + " at " + at_text(*at) + ": slots hold two links to EBRs");
            next = *ebr1 + uint64_t{e.lba} * kSector;
            linked_by = slot_name(name, i);
        }
        at = next;
    }

    // The last partition's count is "to the end": 0xFFFFFFFF - (start - EBR1) in sectors, or
    // 0xFFFFFFFF without EBRs.  It ends where the dump does; any other entry past the dump is cut.
    const uint64_t base = ebr1.value_or(mbr_offset);
    for (Claim& c : claims) {
        if (c.row == SIZE_MAX) continue;
        PartitionRow& r = t.rows[c.row];
        if (r.end() <= in.size()) continue;
        const std::string& what = c.what;
        const bool last = c.row + 1 == t.rows.size();
        const uint64_t rel = r.start >= base ? (r.start - base) / kSector : UINT64_MAX;
        const bool to_end = rel <= mbr::kCountToEnd && r.size / kSector == mbr::kCountToEnd - rel;
        if (!last || !to_end || r.start >= in.size()) {
            fail_input(in.name(), what + " (" + at_text(r.start) + " + " + at_text(r.size) +
                                      ") runs past the end of the dump (" + at_text(in.size()) +
                                      "): a damaged entry, or a readback cut short");
        }
        r.size = in.size() - r.start;
        c.end = r.end();
        notices.push_back({Notice::Level::info, what + " counts to the end of the user area: it ends with the dump, at " +
                                                    at_text(in.size())});
    }
    std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) { return a.start < b.start; });
    for (size_t i = 1; i < claims.size(); ++i) {
        if (claims[i].start < claims[i - 1].end) {
            fail_input(in.name(), claims[i].what + " at " + at_text(claims[i].start) + " overlaps " + claims[i - 1].what +
                                      " (" + at_text(claims[i - 1].start) + " - " + at_text(claims[i - 1].end) + ")");
        }
    }
    return t;
}

}  // namespace mtkfw
