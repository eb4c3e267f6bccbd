#include "ops/gpt_reader.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/number.h"
#include "base/text.h"

namespace mtkfw {
namespace {

constexpr uint64_t kTailScanBytes = 1u << 20;  // MediaTek's 512 KiB sgpt area fits in this with room
constexpr std::string_view kNoPrimarySignature = "no \"EFI PART\" signature at LBA 1";

std::vector<uint32_t> candidate_sector_sizes(const GptReadOptions& options) {
    return options.sector_size ? std::vector<uint32_t>{*options.sector_size} : std::vector<uint32_t>{512, 4096};
}

std::string lba_text(uint64_t lba) { return "LBA " + std::to_string(lba); }

struct Loaded {
    GptHeader header;
    PartitionTable table;
};

// One copy of the GPT: loaded, or the reason it could not be, kept for the notices.
struct Copy {
    std::optional<Loaded> loaded;
    std::string why;
    explicit operator bool() const { return loaded.has_value(); }
};

// Reads and checks the header at `lba` and its entry array; throws the reason when anything is off.
Loaded load_at(const Input& in, uint32_t sector_size, uint64_t lba) {
    if (lba > in.size() / sector_size || (lba + 1) * sector_size > in.size()) {
        fail_input("", lba_text(lba) + " is past the end of the dump");
    }
    std::vector<uint8_t> sector(sector_size);
    in.read_at(sector.data(), sector_size, lba * sector_size);
    const GptHeader header = parse_gpt_header(sector, lba);
    if (header.entries_lba > in.size() / sector_size ||
        header.entries_lba * sector_size + header.entries_bytes() > in.size()) {
        fail_input("", "entry array at " + lba_text(header.entries_lba) + " is past the end of the dump");
    }
    std::vector<uint8_t> entries(header.entries_bytes());
    in.read_at(entries.data(), entries.size(), header.entries_lba * sector_size);
    return {header, parse_gpt_entries(entries, header, sector_size)};
}

// A damaged copy is not a failure while the other one may still be good: its reason is kept.
// An unreadable dump stays an I/O error.
Copy try_load(const Input& in, uint32_t sector_size, uint64_t lba) {
    try {
        return {load_at(in, sector_size, lba), ""};
    } catch (const Failure& f) {
        if (f.code() != Exit::invalid_input) throw;
        return {std::nullopt, f.what()};
    }
}

bool valid_header_at(Bytes sector, uint64_t lba) {
    try {
        parse_gpt_header(sector, lba);
        return true;
    } catch (const Failure&) {  // a pure parser: only ever invalid input
        return false;
    }
}

// The sector size whose LBA 1 starts with the signature; 0 when none does.
uint32_t detect_sector_size(const Input& in, const std::vector<uint32_t>& sizes) {
    for (uint32_t s : sizes) {
        uint8_t sig[gpt::kSignature.size()];
        if (in.size() >= 2ull * s && in.read_some_at(sig, sizeof sig, s) == sizeof sig &&
            has_magic(Bytes(sig, sizeof sig), 0, gpt::kSignature)) {
            return s;
        }
    }
    return 0;
}

// A header whose my_lba matches its place in the last MiB of the dump: the backup of a table
// whose primary is gone (at the last sector on PCs, at the sgpt area on MediaTek).
std::optional<uint64_t> find_backup_lba(const Input& in, uint32_t sector_size) {
    const uint64_t size = in.size() / sector_size * sector_size;
    if (size < sector_size) return std::nullopt;
    const uint64_t span = std::min(kTailScanBytes, size);
    std::vector<uint8_t> tail(span);
    in.read_at(tail.data(), span, size - span);
    for (uint64_t off = span; off >= sector_size; off -= sector_size) {  // last sector first
        const uint64_t at = off - sector_size;
        if (!has_magic(tail, at, gpt::kSignature)) continue;
        const uint64_t lba = (size - span + at) / sector_size;
        if (valid_header_at(Bytes(tail).subspan(at, sector_size), lba)) return lba;
    }
    return std::nullopt;
}

struct BackupPlace {
    uint32_t sector_size;
    uint64_t lba;
};

// Where the backup is when the primary cannot say: the first sector size whose tail holds one.
std::optional<BackupPlace> search_backup(const Input& in, const std::vector<uint32_t>& sizes) {
    for (uint32_t s : sizes) {
        if (const std::optional<uint64_t> lba = find_backup_lba(in, s)) return BackupPlace{s, *lba};
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

void warn(Notices& notices, const std::string& text) { notices.push_back({Notice::Level::warning, text}); }

void check_rows(const PartitionTable& t, const std::string& name, Notices& notices) {
    std::vector<const PartitionRow*> sorted;
    for (const PartitionRow& r : t.rows) {
        sorted.push_back(&r);
        if (r.start / t.sector_size < t.first_lba || (r.end() / t.sector_size) - 1 > t.last_lba) {
            warn(notices, name + ": partition " + std::to_string(r.index) + " (" + escape_controls(r.name) +
                              ") lies outside the usable area");
        }
    }
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->start < b->start; });
    for (size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i]->start < sorted[i - 1]->end()) {
            warn(notices, name + ": partitions " + escape_controls(sorted[i - 1]->name) + " and " +
                              escape_controls(sorted[i]->name) + " overlap");
        }
    }
}

void check_truncated(const PartitionTable& t, const std::string& name, bool allow, Notices& notices) {
    if (!t.dump_size || *t.dump_size >= t.disk_size) return;
    const uint64_t size = *t.dump_size;
    std::string cut;
    for (const PartitionRow& r : t.rows) {
        if (r.end() <= size) continue;
        cut += (cut.empty() ? "" : ", ") + escape_controls(r.name);
        if (r.start < size) cut += " (missing " + std::to_string(r.end() - size) + " of " + std::to_string(r.size) + " bytes)";
    }
    const std::string why = "truncated readback: the dump has " + std::to_string(size) +
                            " bytes but its GPT describes " + std::to_string(t.disk_size) +
                            (cut.empty() ? "; the backup GPT is cut off" : "; partitions past its end: " + cut) +
                            "; the whole user area is SP Flash Tool's Readback with " + readback_length_text(t);
    if (!allow) fail_input(name, why);
    warn(notices, name + ": " + why);
}

// What the two copies say about each other, once at least one of them is good.
void report_copies(const Copy& primary, const Copy& backup, uint64_t backup_lba, uint64_t dump_size,
                   const std::string& name, Notices& notices) {
    if (primary && !backup) {
        if (dump_size >= primary.loaded->table.disk_size) {  // a backup cut off by a short dump was reported already
            warn(notices, name + ": backup GPT at " + lba_text(backup_lba) + " is damaged (" + backup.why +
                              "); the primary is intact");
        }
    } else if (!primary) {
        warn(notices, name + ": primary GPT is damaged (" + primary.why + "); using the backup at " +
                          lba_text(backup_lba));
    } else if (const std::string diff = describe_difference(primary.loaded->header, backup.loaded->header);
               !diff.empty()) {
        warn(notices, name + ": backup GPT does not match the primary (" + diff + "); using the primary");
    }
}

// Sectors after the disk the GPT describes: MediaTek's sgpt area, or a longer dump.  None (the
// backup in the last sector, a PC's layout) is normal for a disk image: readback2fw explains it.
void report_tail(const PartitionTable& t, uint64_t dump_size, uint32_t sector_size, const std::string& name,
                 Notices& notices) {
    const uint64_t extra = dump_size > t.disk_size ? (dump_size - t.disk_size) / sector_size : 0;
    if (extra == 0) return;
    const bool mtk = dump_size - t.disk_size < gpt::kSgptBytes;
    notices.push_back({Notice::Level::info, name + ": " + std::to_string(extra) + " sectors after the backup GPT" +
                                                (mtk ? " (MediaTek's reserved sgpt area: normal for a readback)"
                                                     : " (the dump is longer than the disk its GPT describes)")});
}

PartitionTable read_seekable(Input& in, const GptReadOptions& options, Notices& notices) {
    const std::string& name = in.name();
    const std::vector<uint32_t> sizes = candidate_sector_sizes(options);
    uint32_t sector_size = detect_sector_size(in, sizes);

    Copy primary{std::nullopt, std::string(kNoPrimarySignature)};
    if (sector_size) primary = try_load(in, sector_size, 1);
    if (primary) {
        primary.loaded->table.dump_size = in.size();
        check_truncated(primary.loaded->table, name, options.allow_truncated, notices);
    }

    // The backup: where the primary points, else wherever a valid header hides in the tail.
    std::optional<uint64_t> backup_lba;
    if (primary) {
        backup_lba = primary.loaded->header.alternate_lba;
    } else if (const auto place = search_backup(in, sector_size ? std::vector<uint32_t>{sector_size} : sizes)) {
        sector_size = place->sector_size;
        backup_lba = place->lba;
    }
    Copy backup{std::nullopt, "not found"};
    if (backup_lba) backup = try_load(in, sector_size, *backup_lba);
    if (!primary && !backup) {
        fail_input(name, "no valid GPT (primary: " + primary.why + "; backup: " + backup.why + ")");
    }
    report_copies(primary, backup, *backup_lba, in.size(), name, notices);

    PartitionTable table = std::move(primary ? primary.loaded->table : backup.loaded->table);
    table.dump_size = in.size();
    if (!primary) check_truncated(table, name, options.allow_truncated, notices);
    report_tail(table, in.size(), sector_size, name, notices);
    check_rows(table, name, notices);
    return table;
}

// The primary header of a pipe's first bytes `head`, else the Failure that no GPT is there.
GptHeader pipe_header(Bytes head, uint32_t sector_size, const std::string& name) {
    std::string why(kNoPrimarySignature);
    if (sector_size && head.size() >= 2ull * sector_size) {
        try {
            return parse_gpt_header(head.subspan(sector_size, sector_size), 1);
        } catch (const Failure& f) {
            why = f.what();
        }
    }
    fail_input(name, "no valid GPT (primary: " + why + "; the backup cannot be reached on a pipe)");
}

// The `bytes` of entry array at `begin`, partly in `head` (the bytes read so far) perhaps.
std::vector<uint8_t> pipe_entries(Input& in, Bytes head, uint64_t begin, uint64_t bytes) {
    std::vector<uint8_t> entries(bytes);
    // Not begin + bytes: a lying header's begin may wrap that sum around 2^64 to a small number.
    if (begin <= head.size() && bytes <= head.size() - begin) {
        std::copy(head.begin() + begin, head.begin() + begin + bytes, entries.begin());
        return entries;
    }
    const uint64_t have = head.size() > begin ? head.size() - begin : 0;
    if (have) std::copy(head.begin() + begin, head.end(), entries.begin());
    else in.skip(begin - head.size());
    in.read_exact(entries.data() + have, entries.size() - have);
    return entries;
}

PartitionTable read_pipe(Input& in, const GptReadOptions& options, Notices& notices) {
    const std::string& name = in.name();
    std::vector<uint8_t> head(2 * 4096);
    head.resize(in.read(head.data(), head.size()));
    uint32_t sector_size = 0;
    for (uint32_t s : candidate_sector_sizes(options)) {
        if (has_magic(head, s, gpt::kSignature)) {
            sector_size = s;
            break;
        }
    }
    const GptHeader header = pipe_header(head, sector_size, name);
    if (header.entries_lba > UINT64_MAX / sector_size) {
        fail_input(name, "no valid GPT (primary: entry array LBA " + std::to_string(header.entries_lba) +
                             " lies past any input)");
    }
    const uint64_t begin = header.entries_lba * sector_size;
    if (begin < 2ull * sector_size) fail_input(name, "no valid GPT (primary: entry array overlaps the header)");
    const std::vector<uint8_t> entries = pipe_entries(in, head, begin, header.entries_bytes());
    PartitionTable table;
    try {
        table = parse_gpt_entries(entries, header, sector_size);
    } catch (const Failure& f) {
        fail_input(name, "no valid GPT (primary: " + std::string(f.what()) + ")");
    }
    notices.push_back({Notice::Level::info, name + ": input is a pipe: backup GPT not checked"});
    check_rows(table, name, notices);
    return table;
}

}  // namespace

uint32_t parse_sector_size(std::string_view text, std::string_view option) {
    const uint64_t size = parse_size(text, option);
    if (size != 512 && size != 4096) fail_usage(std::string(option), "must be 512 or 4096");
    return static_cast<uint32_t>(size);
}

PartitionTable read_gpt(Input& in, const GptReadOptions& options, Notices& notices) {
    if (in.seekable() && in.size() == 0) fail_input(in.name(), "no valid GPT (the file is empty)");
    return in.seekable() ? read_seekable(in, options, notices) : read_pipe(in, options, notices);
}

}  // namespace mtkfw
