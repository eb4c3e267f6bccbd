#include "ops/gpt.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "base/number.h"
#include "base/text.h"

namespace mtkfw {
namespace {

constexpr std::string_view kSignature = "EFI PART";
constexpr uint32_t kMinHeaderSize = 92;
constexpr uint64_t kMaxEntriesBytes = 4u << 20;  // 16384 entries of 256 bytes: far beyond any real table
constexpr uint64_t kTailScanBytes = 1u << 20;    // MediaTek's 512 KiB sgpt area fits in this with room

uint32_t crc32_of(Bytes b) {
    return static_cast<uint32_t>(crc32(0L, b.data(), static_cast<uInt>(b.size())));
}

bool is_zero(Bytes b) {
    return std::all_of(b.begin(), b.end(), [](uint8_t c) { return c == 0; });
}

std::string u64(uint64_t v) { return std::to_string(v); }

struct Loaded {
    GptHeader header;
    PartitionTable table;
};

// Reads and checks the header at `lba` and its entry array.  nullopt + why when anything is off.
std::optional<Loaded> load_at(const Input& in, uint32_t ss, uint64_t lba, std::string* why) {
    if (lba > in.size() / ss || (lba + 1) * ss > in.size()) {
        *why = "LBA " + u64(lba) + " is past the end of the dump";
        return std::nullopt;
    }
    std::vector<uint8_t> sector(ss);
    in.read_at(sector.data(), ss, lba * ss);
    auto header = parse_gpt_header(sector, lba, why);
    if (!header) return std::nullopt;
    if (header->entries_lba > in.size() / ss || header->entries_lba * ss + header->entries_bytes() > in.size()) {
        *why = "entry array at LBA " + u64(header->entries_lba) + " is past the end of the dump";
        return std::nullopt;
    }
    std::vector<uint8_t> entries(header->entries_bytes());
    in.read_at(entries.data(), entries.size(), header->entries_lba * ss);
    Loaded l{*header, {}};
    if (!parse_gpt_entries(entries, *header, ss, &l.table, why)) return std::nullopt;
    return l;
}

// Finds a header whose my_lba matches its place in the last MiB of the dump: the backup of a
// table whose primary is gone (at the last sector on PCs, at the sgpt area on MediaTek).
std::optional<uint64_t> find_backup_lba(const Input& in, uint32_t ss) {
    const uint64_t size = in.size() / ss * ss;
    if (size < ss) return std::nullopt;
    const uint64_t span = std::min(kTailScanBytes, size);
    std::vector<uint8_t> tail(span);
    in.read_at(tail.data(), span, size - span);
    for (uint64_t off = span; off >= ss; off -= ss) {  // last sector first
        const uint64_t at = off - ss;
        if (!has_magic(tail, at, kSignature)) continue;
        const uint64_t lba = (size - span + at) / ss;
        std::string why;
        if (parse_gpt_header(Bytes(tail).subspan(at, ss), lba, &why)) return lba;
    }
    return std::nullopt;
}

std::string describe_difference(const GptHeader& a, const GptHeader& b) {
    if (a.disk_guid != b.disk_guid) return "disk GUIDs differ";
    if (a.first_usable_lba != b.first_usable_lba || a.last_usable_lba != b.last_usable_lba) return "usable ranges differ";
    if (a.entry_count != b.entry_count || a.entry_size != b.entry_size) return "entry array sizes differ";
    if (a.entries_crc32 != b.entries_crc32) return "partition entries differ";
    if (a.alternate_lba != b.my_lba || b.alternate_lba != a.my_lba) return "headers do not point at each other";
    return "";
}

void check_rows(const PartitionTable& t, const std::string& name, Notices* notices) {
    std::vector<const PartitionRow*> sorted;
    for (const PartitionRow& r : t.rows) {
        sorted.push_back(&r);
        if (r.start / t.sector_size < t.first_lba || (r.end() / t.sector_size) - 1 > t.last_lba) {
            notices->push_back({Notice::Level::warning, name + ": partition " + std::to_string(r.index) + " (" +
                                                            escape_controls(r.name) + ") lies outside the usable area"});
        }
    }
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->start < b->start; });
    for (size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i]->start < sorted[i - 1]->end()) {
            notices->push_back({Notice::Level::warning, name + ": partitions " + escape_controls(sorted[i - 1]->name) +
                                                            " and " + escape_controls(sorted[i]->name) + " overlap"});
        }
    }
}

void check_truncated(const PartitionTable& t, const std::string& name, bool allow, Notices* notices) {
    if (!t.dump_size || *t.dump_size >= t.disk_size) return;
    const uint64_t size = *t.dump_size;
    std::string cut;
    for (const PartitionRow& r : t.rows) {
        if (r.end() <= size) continue;
        const uint64_t missing = r.start >= size ? r.size : r.end() - size;
        cut += (cut.empty() ? "" : ", ") + escape_controls(r.name) + " (missing " + u64(missing) + " of " +
               u64(r.size) + " bytes)";
    }
    const std::string why = "truncated readback: the dump has " + u64(size) + " bytes but its GPT describes " +
                            u64(t.disk_size) + (cut.empty() ? "; the backup GPT is cut off" : "; cut partitions: " + cut);
    if (!allow) fail_input(name, why);
    notices->push_back({Notice::Level::warning, name + ": " + why});
}

PartitionTable read_seekable(Input& in, const GptReadOptions& options, Notices* notices) {
    const std::string& name = in.name();
    std::vector<uint32_t> sizes = options.sector_size ? std::vector<uint32_t>{*options.sector_size}
                                                      : std::vector<uint32_t>{512, 4096};
    uint32_t ss = 0;
    for (uint32_t s : sizes) {
        uint8_t sig[8];
        if (in.size() >= 2ull * s && in.read_some_at(sig, 8, s) == 8 && has_magic(Bytes(sig, 8), 0, kSignature)) {
            ss = s;
            break;
        }
    }

    std::string primary_why = "no \"EFI PART\" signature at LBA 1";
    std::optional<Loaded> primary;
    if (ss) primary = load_at(in, ss, 1, &primary_why);

    if (primary) {
        primary->table.dump_size = in.size();
        check_truncated(primary->table, name, options.allow_truncated, notices);
    }

    // The backup: where the primary points, else wherever a valid header hides in the tail.
    std::optional<Loaded> backup;
    std::string backup_why = "not found";
    std::optional<uint64_t> backup_lba;
    if (primary) {
        backup_lba = primary->header.alternate_lba;
    } else {
        for (uint32_t s : ss ? std::vector<uint32_t>{ss} : sizes) {
            if ((backup_lba = find_backup_lba(in, s))) {
                ss = s;
                break;
            }
        }
    }
    if (backup_lba) backup = load_at(in, ss, *backup_lba, &backup_why);

    if (!primary && !backup) {
        fail_input(name, "no valid GPT (primary: " + primary_why + "; backup: " + backup_why + ")");
    }
    if (primary && !backup) {
        if (in.size() >= primary->table.disk_size) {  // a backup cut off by a short dump was reported above
            notices->push_back({Notice::Level::warning, name + ": backup GPT at LBA " + u64(*backup_lba) +
                                                            " is damaged (" + backup_why + "); the primary is intact"});
        }
    } else if (!primary) {
        notices->push_back({Notice::Level::warning, name + ": primary GPT is damaged (" + primary_why +
                                                        "); using the backup at LBA " + u64(*backup_lba)});
    } else if (const std::string diff = describe_difference(primary->header, backup->header); !diff.empty()) {
        notices->push_back({Notice::Level::warning,
                            name + ": backup GPT does not match the primary (" + diff + "); using the primary"});
    }

    Loaded& use = primary ? *primary : *backup;
    PartitionTable table = std::move(use.table);
    table.dump_size = in.size();
    if (!primary) check_truncated(table, name, options.allow_truncated, notices);
    const uint64_t extra = in.size() > table.disk_size ? (in.size() - table.disk_size) / ss : 0;
    if (extra > 0) {
        const bool mtk = in.size() - table.disk_size < 512 * 1024;
        notices->push_back({Notice::Level::info,
                            name + ": " + u64(extra) + " sectors after the backup GPT" +
                                (mtk ? " (MediaTek's reserved sgpt area: normal for a readback)"
                                     : " (the dump is longer than the disk its GPT describes)")});
    }
    check_rows(table, name, notices);
    return table;
}

PartitionTable read_pipe(Input& in, const GptReadOptions& options, Notices* notices) {
    const std::string& name = in.name();
    std::vector<uint8_t> head(2 * 4096);
    const size_t got = in.read(head.data(), head.size());
    head.resize(got);
    uint32_t ss = 0;
    for (uint32_t s : options.sector_size ? std::vector<uint32_t>{*options.sector_size} : std::vector<uint32_t>{512, 4096}) {
        if (has_magic(head, s, kSignature)) {
            ss = s;
            break;
        }
    }
    std::string why = "no \"EFI PART\" signature at LBA 1";
    std::optional<GptHeader> header;
    if (ss && head.size() >= 2ull * ss) header = parse_gpt_header(Bytes(head).subspan(ss, ss), 1, &why);
    if (!header) fail_input(name, "no valid GPT (primary: " + why + "; the backup cannot be reached on a pipe)");

    const uint64_t begin = header->entries_lba * ss;
    const uint64_t end = begin + header->entries_bytes();
    if (begin < 2ull * ss) fail_input(name, "no valid GPT (primary: entry array overlaps the header)");
    std::vector<uint8_t> entries(header->entries_bytes());
    if (end <= head.size()) {
        std::copy(head.begin() + begin, head.begin() + end, entries.begin());
    } else {
        const uint64_t have = head.size() > begin ? head.size() - begin : 0;
        if (have) std::copy(head.begin() + begin, head.end(), entries.begin());
        else in.skip(begin - head.size());
        in.read_exact(entries.data() + have, entries.size() - have);
    }
    PartitionTable table;
    if (!parse_gpt_entries(entries, *header, ss, &table, &why)) fail_input(name, "no valid GPT (primary: " + why + ")");
    notices->push_back({Notice::Level::info, name + ": input is a pipe: backup GPT not checked"});
    check_rows(table, name, notices);
    return table;
}

}  // namespace

std::string guid_text(Bytes g) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", le32(g, 0), le16(g, 4),
                  le16(g, 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
    return buf;
}

std::optional<GptHeader> parse_gpt_header(Bytes sector, uint64_t expected_lba, std::string* why) {
    if (sector.size() < kMinHeaderSize || !has_magic(sector, 0, kSignature)) {
        *why = "no \"EFI PART\" signature";
        return std::nullopt;
    }
    GptHeader h;
    h.header_size = le32(sector, 0x0C);
    if (h.header_size < kMinHeaderSize || h.header_size > sector.size()) {
        *why = "header size " + u64(h.header_size) + " out of range";
        return std::nullopt;
    }
    std::vector<uint8_t> copy(sector.begin(), sector.begin() + h.header_size);
    put_le32(copy.data() + 0x10, 0);
    if (crc32_of(copy) != le32(sector, 0x10)) {
        *why = "header CRC32 mismatch";
        return std::nullopt;
    }
    h.my_lba = le64(sector, 0x18);
    h.alternate_lba = le64(sector, 0x20);
    h.first_usable_lba = le64(sector, 0x28);
    h.last_usable_lba = le64(sector, 0x30);
    h.disk_guid = guid_text(sector.subspan(0x38, 16));
    h.entries_lba = le64(sector, 0x48);
    h.entry_count = le32(sector, 0x50);
    h.entry_size = le32(sector, 0x54);
    h.entries_crc32 = le32(sector, 0x58);
    if (expected_lba && h.my_lba != expected_lba) {
        *why = "header says it is at LBA " + u64(h.my_lba) + ", found at LBA " + u64(expected_lba);
        return std::nullopt;
    }
    if (h.first_usable_lba > h.last_usable_lba) {
        *why = "first usable LBA is after the last";
        return std::nullopt;
    }
    if (h.entry_size < 128 || h.entry_size > 4096 || (h.entry_size & (h.entry_size - 1)) != 0 ||
        h.entry_count == 0 || h.entries_bytes() > kMaxEntriesBytes) {
        *why = "entry array of " + u64(h.entry_count) + " x " + u64(h.entry_size) + " bytes is invalid";
        return std::nullopt;
    }
    if (h.entries_lba == h.my_lba) {
        *why = "entry array overlaps the header";
        return std::nullopt;
    }
    return h;
}

bool parse_gpt_entries(Bytes entries, const GptHeader& h, uint32_t ss, PartitionTable* t, std::string* why) {
    if (entries.size() != h.entries_bytes() || crc32_of(entries) != h.entries_crc32) {
        *why = "partition entry array CRC32 mismatch";
        return false;
    }
    t->sector_size = ss;
    t->first_lba = h.first_usable_lba;
    t->last_lba = h.last_usable_lba;
    t->disk_guid = h.disk_guid;
    const uint64_t last_header = std::max(h.my_lba, h.alternate_lba);
    if (last_header >= UINT64_MAX / ss) {
        *why = "alternate LBA " + u64(h.alternate_lba) + " is out of range";
        return false;
    }
    t->disk_size = (last_header + 1) * ss;
    t->rows.clear();
    for (uint32_t i = 0; i < h.entry_count; ++i) {
        const Bytes e = entries.subspan(static_cast<size_t>(i) * h.entry_size, 128);
        if (is_zero(e.subspan(0, 16))) continue;
        PartitionRow r;
        r.index = i + 1;
        const uint64_t first = le64(e, 0x20), last = le64(e, 0x28);
        if (first > last || last >= UINT64_MAX / ss) {
            *why = "entry " + u64(i + 1) + " has an invalid range (LBA " + u64(first) + " to " + u64(last) + ")";
            return false;
        }
        r.start = first * ss;
        r.size = (last - first + 1) * ss;
        r.type_guid = guid_text(e.subspan(0, 16));
        r.uuid = guid_text(e.subspan(16, 16));
        r.attributes = le64(e, 0x30);
        r.name = utf16le_to_utf8(e.subspan(0x38, 72));
        t->rows.push_back(std::move(r));
    }
    return true;
}

uint32_t parse_sector_size(std::string_view text, std::string_view option) {
    const uint64_t size = parse_size(text, option);
    if (size != 512 && size != 4096) fail_usage(std::string(option), "must be 512 or 4096");
    return static_cast<uint32_t>(size);
}

PartitionTable read_gpt(Input& in, const GptReadOptions& options, Notices* notices) {
    if (in.seekable() && in.size() == 0) fail_input(in.name(), "no valid GPT (the file is empty)");
    return in.seekable() ? read_seekable(in, options, notices) : read_pipe(in, options, notices);
}

}  // namespace mtkfw
