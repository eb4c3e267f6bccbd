#include "format/table.h"

#include <cctype>
#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <map>
#include <sstream>

#include "base/failure.h"
#include "base/lines.h"
#include "base/number.h"
#include "base/text.h"
#include "format/gpt.h"
#include "format/table_json.h"

namespace mtkfw {
namespace {

constexpr std::string_view kMagic = "# mtkfw-table ";
constexpr std::string_view kVersion = "1";
constexpr size_t kMaxNumberWidth = 20;  // UINT64_MAX has 20 decimal digits
constexpr std::string_view kColumns = "index\tname\tstart\tsize\tcontent\tlabel\ttype\tuuid\tattributes";

std::string unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 2, 2)), nullptr, 16));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
    std::vector<std::string_view> out;
    size_t from = 0;
    for (;;) {
        const size_t at = line.find(sep, from);
        out.push_back(line.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
        if (at == std::string_view::npos) return out;
        from = at + 1;
    }
}

uint64_t number(std::string_view s, const std::string& where, const char* field) {
    const auto bad = [&] { fail_input(where, std::string("bad ") + field + " '" + std::string(s) + "'"); };
    if (s.empty() || s.size() > kMaxNumberWidth) bad();
    const bool is_hex = s.size() > 2 && s.substr(0, 2) == "0x";
    const std::string_view digits = is_hex ? s.substr(2) : s;
    // Lower-case hex only, as write_tsv writes it: an upper-case digit ends the number.
    const Digits d = parse_digits(is_hex ? digits.substr(0, digits.find_first_of("ABCDEF")) : digits, is_hex ? 16 : 10);
    if (d.overflow) fail_input(where, std::string(field) + " too large");
    if (d.length != digits.size()) bad();
    return d.value;
}

// Line 1: the exact magic and version, then the facts (unknown keys are kept and ignored).
std::map<std::string, std::string, std::less<>> header_facts(std::string_view line, const std::string& source) {
    if (line.substr(0, kMagic.size()) != kMagic) {
        fail_input(source, "not an mtkfw partition table (expected the tab-separated table of gpt-list)");
    }
    std::string_view rest = line.substr(kMagic.size());
    const std::string_view version = rest.substr(0, rest.find(' '));
    if (version != kVersion) {
        fail_input(source + ": line 1", "not an mtkfw partition table of version " + std::string(kVersion) +
                                            " (it says version " + escape_controls(version) + ")");
    }
    std::map<std::string, std::string, std::less<>> facts;
    for (std::string_view kv : split(rest.substr(version.size()), ' ')) {
        const size_t eq = kv.find('=');
        if (eq != std::string_view::npos) facts[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
    }
    return facts;
}

}  // namespace

const PartitionRow* PartitionTable::find(std::string_view name) const {
    for (const PartitionRow& r : rows) {
        if (r.name == name) return &r;
    }
    return nullptr;
}

std::string storage_of(const PartitionTable& t) { return t.sector_size == 4096 ? "ufs" : "emmc"; }

std::string write_tsv(const PartitionTable& t) {
    std::ostringstream o;
    o << kMagic << kVersion << " sector_size=" << t.sector_size << " dump_size="
      << (t.dump_size ? std::to_string(*t.dump_size) : "unknown") << " disk_size=" << t.disk_size
      << " first_lba=" << t.first_lba << " last_lba=" << t.last_lba << " disk_guid=" << t.disk_guid;
    o << " readback_length=" << readback_length(t) << " storage=" << storage_of(t);
    if (t.label == "mbr") o << " label=mbr";
    if (!t.platform.empty()) o << " platform=" << t.platform;
    if (!t.slot.empty()) o << " slot=" << t.slot << " slot_source=" << t.slot_source;
    if (!t.metadata.empty()) o << " metadata=" << t.metadata;
    if (!t.metadata_source.empty()) o << " metadata_source=" << t.metadata_source;
    if (!t.userdata_encryption.empty()) o << " userdata_encryption=" << t.userdata_encryption;
    o << "\n" << kColumns << "\n";
    for (const PartitionRow& r : t.rows) {
        o << r.index << '\t' << escape_controls(r.name) << '\t' << r.start << '\t' << r.size << '\t' << r.content
          << '\t' << escape_controls(r.label) << '\t' << r.type_guid << '\t' << r.uuid << '\t' << hex(r.attributes)
          << "\n";
    }
    return o.str();
}

PartitionTable parse_tsv(std::string_view text, const std::string& source) {
    if (text.empty()) fail_input(source, "empty partition table (did the command before this one fail?)");
    PartitionTable t;
    Lines lines(text, source);
    std::string_view line;
    lines.next(&line, false);
    std::map<std::string, std::string, std::less<>> facts = header_facts(line, source);
    const std::string head = source + ": line 1";
    for (const char* key : {"sector_size", "dump_size", "disk_size", "first_lba", "last_lba"}) {
        if (!facts.count(key)) fail_input(head, std::string("missing ") + key);
    }
    const uint64_t sector_size = number(facts["sector_size"], head, "sector_size");
    if (sector_size != 512 && sector_size != 4096) fail_input(head, "sector_size must be 512 or 4096");
    t.sector_size = static_cast<uint32_t>(sector_size);
    if (facts["dump_size"] != "unknown") t.dump_size = number(facts["dump_size"], head, "dump_size");
    t.disk_size = number(facts["disk_size"], head, "disk_size");
    t.first_lba = number(facts["first_lba"], head, "first_lba");
    t.last_lba = number(facts["last_lba"], head, "last_lba");
    t.disk_guid = facts["disk_guid"];
    t.platform = facts["platform"];
    if (facts["label"] == "mbr") t.label = "mbr";
    // Another slot word is a later writer's: no slot, as when absent.
    if (facts["slot"] == "a" || facts["slot"] == "b") {
        t.slot = facts["slot"];
        t.slot_source = facts["slot_source"];
    }
    t.metadata = facts["metadata"];
    t.metadata_source = facts["metadata_source"];
    t.userdata_encryption = facts["userdata_encryption"];
    if (!lines.next(&line, false) || line != kColumns) fail_input(source + ": line 2", "expected the column names");
    while (lines.next(&line, false)) {
        const std::string where = source + ": line " + std::to_string(lines.number());
        const auto f = split(line, '\t');
        if (f.size() != 9) fail_input(where, "expected 9 tab-separated fields, got " + std::to_string(f.size()));
        PartitionRow r;
        const uint64_t index = number(f[0], where, "index");
        // 0: a template's raw row, which only an MBR/EBR table has (format/table.h).
        if ((index == 0 && t.label != "mbr") || index > UINT32_MAX) fail_input(where, "bad index");
        r.index = static_cast<uint32_t>(index);
        r.name = unescape(f[1]);
        r.start = number(f[2], where, "start");
        r.size = number(f[3], where, "size");
        if (r.start + r.size < r.start) fail_input(where, "start + size overflows");
        r.content = std::string(f[4]);
        r.label = unescape(f[5]);
        r.type_guid = std::string(f[6]);
        r.uuid = std::string(f[7]);
        r.attributes = number(f[8], where, "attributes");
        t.rows.push_back(std::move(r));
    }
    return t;
}

namespace table_json {

void open(std::ostream& o, const char* label, const PartitionTable& t, const std::string& device) {
    o << "{\n   \"partitiontable\": {\n"
      << "      \"label\": \"" << label << "\",\n"
      << "      \"id\": " << json_string(t.disk_guid) << ",\n"
      << "      \"device\": " << json_string(device) << ",\n"
      << "      \"unit\": \"sectors\",\n";
}

void dump_fields(std::ostream& o, const PartitionTable& t) {
    o << "      \"dumpsize\": " << (t.dump_size ? std::to_string(*t.dump_size) : "null") << ",\n"
      << "      \"disksize\": " << t.disk_size << ",\n"
      << "      \"readbacklength\": " << readback_length(t) << ",\n"
      << "      \"storage\": " << json_string(storage_of(t)) << ",\n"
      << "      \"platform\": " << (t.platform.empty() ? "null" : json_string(t.platform)) << ",\n";
}

void row_bytes(std::ostream& o, const PartitionRow& r) {
    o << ", \"start_bytes\": " << r.start << ", \"size_bytes\": " << r.size << ", \"content\": " << json_string(r.content)
      << ", \"label\": " << json_string(r.label) << "}";
}

}  // namespace table_json

std::string write_json(const PartitionTable& t, const std::string& device) {
    if (t.label == "mbr") return write_dos_json(t, device);
    std::ostringstream o;
    table_json::open(o, "gpt", t, device);
    o << "      \"firstlba\": " << t.first_lba << ",\n"
      << "      \"lastlba\": " << t.last_lba << ",\n"
      << "      \"sectorsize\": " << t.sector_size << ",\n";
    table_json::dump_fields(o, t);
    o << "      \"slot\": " << (t.slot.empty() ? "null" : json_string(t.slot)) << ",\n"
      << "      \"slotsource\": " << (t.slot_source.empty() ? "null" : json_string(t.slot_source)) << ",\n"
      << "      \"partitions\": [";
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const PartitionRow& r = t.rows[i];
        o << (i ? ",\n" : "\n") << "         {\"node\": " << json_string(device + std::to_string(r.index))
          << ", \"start\": " << r.start / t.sector_size << ", \"size\": " << r.size / t.sector_size
          << ", \"type\": " << json_string(r.type_guid) << ", \"uuid\": " << json_string(r.uuid)
          << ", \"name\": " << json_string(r.name);
        if (r.attributes) o << ", \"attrs\": " << json_string(hex(r.attributes));
        o << ", \"index\": " << r.index;
        table_json::row_bytes(o, r);
    }
    o << (t.rows.empty() ? "]\n" : "\n      ]\n") << "   }\n}\n";
    return o.str();
}

std::string write_human(const PartitionTable& t, const std::string& device) {
    std::ostringstream o;
    o << "Dump: " << device << "\n"
      << "Sector size: " << t.sector_size << " B\n"
      << "Dump size: " << (t.dump_size ? std::to_string(*t.dump_size) + " B" : std::string("unknown (pipe)")) << "\n"
      << (t.label == "mbr" ? "MBR at: " + hex(t.first_lba * t.sector_size) + " (MBR/EBR chain, no GPT)\n"
                           : "GPT disk size: " + std::to_string(t.disk_size) + " B\n")
      << "Whole user area: " << readback_length_text(t) << " (SP Flash Tool Readback)\n"
      << "Storage: " << storage_of(t) << "\n"
      << "Platform: " << (t.platform.empty() ? "unknown" : t.platform) << "\n"
      << (t.slot.empty() ? "" : "Active slot: " + t.slot + " (" + t.slot_source + ")\n")
      << (t.metadata_source.empty() ? ""
                                    : "Userdata key: " + (t.metadata.empty() ? std::string("none") : t.metadata) +
                                          (t.userdata_encryption.empty() ? "" : ", " + t.userdata_encryption + " encryption") +
                                          " (" + t.metadata_source + ")\n")
      << "Disk GUID: " << t.disk_guid << "\n\n";
    // Column widths follow the longest cell, like parted: content labels vary a lot.
    std::vector<std::string> contents;
    size_t content_width = 7;
    for (const PartitionRow& r : t.rows) {
        contents.push_back(r.label.empty() ? r.content : r.content + "(" + escape_controls(r.label) + ")");
        content_width = std::max(content_width, contents.back().size());
    }
    char line[256];
    std::snprintf(line, sizeof line, "%6s  %14s  %14s  %14s  ", "Number", "Start", "End", "Size");
    o << line << std::left << std::setw(static_cast<int>(content_width)) << "Content" << "  Name\n";
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const PartitionRow& r = t.rows[i];
        const std::string number = r.index ? std::to_string(r.index) : "-";  // a template's raw row
        std::snprintf(line, sizeof line, "%6s  %13lluB  %13lluB  %13lluB  ", number.c_str(),
                      static_cast<unsigned long long>(r.start), static_cast<unsigned long long>(r.end() - 1),
                      static_cast<unsigned long long>(r.size));
        o << line << std::setw(static_cast<int>(content_width)) << contents[i] << "  " << escape_controls(r.name)
          << "\n";
    }
    return o.str();
}

}  // namespace mtkfw
