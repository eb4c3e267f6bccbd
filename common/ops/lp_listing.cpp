#include "ops/lp_listing.h"

#include <algorithm>
#include <iomanip>
#include <optional>
#include <sstream>

#include "base/text.h"
#include "format/gpt.h"
#include "format/sparse_format.h"
#include "ops/content.h"
#include "ops/partition_lookup.h"

namespace mtkfw::lp {
namespace {

std::string joined(const std::vector<uint32_t>& v) {
    std::string s;
    for (uint32_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
}

std::string extent_text(const std::vector<Extent>& extents) {
    std::string s;
    for (const Extent& x : extents) {
        s += s.empty() ? "" : ",";
        s += x.target_type == kTargetZero ? "zero+" + std::to_string(x.num_sectors)
                                          : std::to_string(x.target_data) + "+" + std::to_string(x.num_sectors);
    }
    return s.empty() ? "-" : s;
}

std::string in_quotes(std::string_view s) { return "\"" + escape_controls(s) + "\""; }

// A super's partition named `name`: the first one (lowest slot) when slots list it differently.
const LogicalPartition* find_logical(const std::vector<LogicalPartition>& parts, std::string_view name,
                                     const std::string& super_name, Notices& notices) {
    const LogicalPartition* found = nullptr;
    for (const LogicalPartition& p : parts) {
        if (p.name != name) continue;
        if (!found) {
            found = &p;
            continue;
        }
        notices.push_back({Notice::Level::warning, super_name + ": slots " + joined(p.slots) + " list " + in_quotes(name) +
                                                       " with other extents than slots " + joined(found->slots) +
                                                       ": the extents of slot " + std::to_string(found->slots.at(0)) +
                                                       " are used"});
    }
    return found;
}

std::string content_text(const Content& c) {
    return c.label.empty() ? c.kind : c.kind + "(" + escape_controls(c.label) + ")";
}

}  // namespace

std::string lp_label(const Super& s) {
    const Metadata& m = s.slots.at(0);
    return "LP " + std::to_string(m.major_version) + "." + std::to_string(m.minor_version) + ", " +
           std::to_string(s.slots.size()) + (s.slots.size() == 1 ? " slot, " : " slots, ") +
           std::to_string(m.partitions.size()) + (m.partitions.size() == 1 ? " partition" : " partitions");
}

std::string attribute_names(uint32_t a) {
    static constexpr std::pair<uint32_t, const char*> kNames[] = {
        {kAttrReadonly, "readonly"}, {kAttrSlotSuffixed, "slot-suffixed"}, {kAttrUpdated, "updated"}, {kAttrDisabled, "disabled"}};
    std::string s;
    for (const auto& [bit, name] : kNames) {
        if (a & bit) s += (s.empty() ? "" : ",") + std::string(name);
    }
    const uint32_t unknown = a & ~(kAttrMaskV0 | kAttrMaskV1);
    if (unknown) s += (s.empty() ? "" : ",") + hex(unknown);
    return s.empty() ? "none" : s;
}

Content logical_content(const Input& in, const Super& super, const LogicalPartition& p) {
    if (p.extents.empty()) return {"empty", ""};
    const Region r = region_of(in, super, p);
    std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(kContentProbeBytes, r.size())));
    r.read_at(head.data(), head.size(), 0);
    return detect_content(head);
}

SuperView view_super(const Input& in, uint64_t offset, uint64_t size, const std::string& name, Notices& notices) {
    SuperView v{name, read_super(in, offset, size, notices), {}, {}};
    v.partitions = logical_partitions(v.super);
    for (const LogicalPartition& p : v.partitions) v.contents.push_back(logical_content(in, v.super, p));
    return v;
}

std::vector<SuperView> supers_of(const Input& in, const PartitionTable& table, Notices& notices) {
    std::vector<SuperView> out;
    for (const PartitionRow& r : table.rows) {
        if (r.content == "lp") out.push_back(view_super(in, r.start, r.size, r.name, notices));
    }
    return out;
}

bool is_bare_super(const Input& in) {
    if (!in.seekable() || !looks_like_super(in, 0, in.size())) return false;
    for (uint64_t sector : {512, 4096}) {
        uint8_t sig[8] = {};
        if (in.read_some_at(sig, sizeof sig, sector + gpt::kSignatureAt) == sizeof sig &&
            has_magic(Bytes(sig, sizeof sig), 0, gpt::kSignature)) {
            return false;
        }
    }
    return true;
}

void refuse_sparse(const Input& in) {
    if (!in.seekable()) return;
    std::vector<uint8_t> head(64 * 1024);
    head.resize(in.read_some_at(head.data(), head.size(), 0));
    if (head.size() < 4 || le32(head, 0) != sparse::kMagic) return;
    // The geometry's magic and struct size in one of the first chunks: a sparse super.
    static constexpr uint8_t kGeometryStart[] = {0x67, 0x44, 0x6c, 0x61, 0x34, 0, 0, 0};
    const bool super = std::search(head.begin(), head.end(), std::begin(kGeometryStart), std::end(kGeometryStart)) !=
                       head.end();
    fail_input(in.name(), std::string("an Android sparse image, not a raw ") + (super ? "super" : "dump") +
                              ": expand it first (ext4-sparse -d)");
}

Region partition_region(const Input& in, const PartitionTable& table, std::string_view name, Notices& notices) {
    // "SUPER/NAME": inside that super only.
    std::string_view only_super, wanted = name;
    if (const size_t slash = name.find('/'); slash != std::string_view::npos && !table.find(name)) {
        only_super = name.substr(0, slash);
        wanted = name.substr(slash + 1);
    }
    const PartitionRow* row = only_super.empty() ? table.find(wanted) : nullptr;
    std::vector<std::string> places;  // where the name is, for an ambiguity
    if (row) places.push_back("GPT partition " + std::to_string(row->index));
    std::optional<Region> logical;
    PartitionTable with_logical = table;  // the names an unknown name is compared with
    for (const PartitionRow& r : table.rows) {
        if (!only_super.empty() && r.name != only_super) continue;
        if (!lp::looks_like_super(in, r.start, r.size)) continue;
        Notices super_notices;
        std::optional<Super> super;
        try {
            super = read_super(in, r.start, r.size, super_notices);
        } catch (const Failure& f) {
            if (!row || f.code() != Exit::invalid_input) throw;
            notices.push_back({Notice::Level::info, std::string(f.what()) + " (not needed: the GPT has " + in_quotes(name) + ")"});
            continue;
        }
        const std::vector<LogicalPartition> parts = logical_partitions(*super);
        for (const LogicalPartition& p : parts) {
            with_logical.rows.push_back({});
            with_logical.rows.back().name = r.name + "/" + p.name;
        }
        if (const LogicalPartition* p = find_logical(parts, wanted, r.name, super_notices)) {
            places.push_back("logical partition of " + escape_controls(r.name) + " (say " + in_quotes(r.name + "/" + p->name) + ")");
            if (!logical) logical.emplace(region_of(in, *super, *p));
            notices.insert(notices.end(), super_notices.begin(), super_notices.end());
        }
    }
    if (places.size() > 1) {
        std::string list;
        for (const std::string& p : places) list += (list.empty() ? "" : ", ") + p;
        fail_usage(in.name(), in_quotes(name) + " names more than one partition: " + list +
                                  (row ? "; the GPT one is also --index " + std::to_string(row->index) : ""));
    }
    if (row) return Region(in, {Piece{row->start, row->size, false}}, row->name);
    if (logical) return *logical;
    if (!only_super.empty() && !table.find(only_super)) fail_usage(in.name(), "no partition named " + in_quotes(only_super));
    if (!only_super.empty()) fail_usage(in.name(), in_quotes(only_super) + " holds no logical partition " + in_quotes(wanted));
    partition_named(with_logical, name, in.name());  // fails: lists the names there are
    fail_usage(in.name(), "no partition named " + in_quotes(name));
}

Region logical_region(const Input& in, std::string_view name, Notices& notices) {
    const Super super = read_super(in, 0, in.size(), notices);
    const std::vector<LogicalPartition> parts = logical_partitions(super);
    if (const LogicalPartition* p = find_logical(parts, name, in.name(), notices)) return region_of(in, super, *p);
    std::vector<std::string> names;
    std::string list;
    for (const LogicalPartition& p : parts) {
        names.push_back(p.name);
        list += (list.empty() ? "" : ", ") + escape_controls(p.name);
    }
    fail_usage(in.name(), "no logical partition named " + in_quotes(name) +
                              (names.empty() ? ": the super has none"
                                             : "; did you mean " + in_quotes(closest_word(name, names)) +
                                                   "? The logical partitions are: " + list));
}

std::string write_lp_tsv(const std::vector<SuperView>& supers) {
    std::ostringstream o;
    o << "# mtkfw-lp 1\nsuper\tslots\tname\tgroup\tattributes\tsize\textents\tcontent\tlabel\n";
    for (const SuperView& v : supers) {
        for (size_t i = 0; i < v.partitions.size(); ++i) {
            const LogicalPartition& p = v.partitions[i];
            o << escape_controls(v.name) << '\t' << joined(p.slots) << '\t' << escape_controls(p.name) << '\t'
              << escape_controls(p.group) << '\t' << attribute_names(p.attributes) << '\t' << p.size << '\t'
              << extent_text(p.extents) << '\t' << v.contents[i].kind << '\t' << escape_controls(v.contents[i].label)
              << '\n';
        }
    }
    return o.str();
}

std::string write_lp_json(const std::vector<SuperView>& supers, const std::string& device) {
    std::ostringstream o;
    o << "{\n   \"device\": " << json_string(device) << ",\n   \"supers\": [";
    for (size_t s = 0; s < supers.size(); ++s) {
        const SuperView& v = supers[s];
        const Super& su = v.super;
        const Metadata& m0 = su.slots.at(0);
        o << (s ? ",\n" : "\n") << "      {\"name\": " << json_string(v.name) << ", \"offset\": " << su.offset
          << ", \"size\": " << su.size << ", \"version\": \"" << m0.major_version << "." << m0.minor_version
          << "\", \"header_flags\": " << m0.flags << ", \"metadata_max_size\": " << su.geometry.metadata_max_size
          << ", \"metadata_slots\": " << su.geometry.metadata_slot_count
          << ", \"logical_block_size\": " << su.geometry.logical_block_size
          << ", \"first_logical_sector\": " << su.first_logical_byte() / kSectorSize
          << ", \"geometry_from_backup\": " << (su.geometry_from_backup ? "true" : "false")
          << ", \"slots_from_backup\": [";
        for (size_t i = 0; i < su.slot_from_backup.size(); ++i) {
            o << (i ? ", " : "") << (su.slot_from_backup[i] ? "true" : "false");
        }
        o << "],\n       \"groups\": [";
        for (size_t i = 0; i < m0.groups.size(); ++i) {
            o << (i ? ", " : "") << "{\"name\": " << json_string(m0.groups[i].name)
              << ", \"maximum_size\": " << m0.groups[i].maximum_size << ", \"flags\": " << m0.groups[i].flags << "}";
        }
        o << "],\n       \"logical\": [";
        for (size_t i = 0; i < v.partitions.size(); ++i) {
            const LogicalPartition& p = v.partitions[i];
            o << (i ? ",\n" : "\n") << "         {\"name\": " << json_string(p.name) << ", \"group\": "
              << json_string(p.group) << ", \"attributes\": " << json_string(attribute_names(p.attributes))
              << ", \"attribute_bits\": " << p.attributes << ", \"size\": " << p.size << ", \"slots\": ["
              << joined(p.slots) << "], \"extents\": [";
            for (size_t k = 0; k < p.extents.size(); ++k) {
                const Extent& x = p.extents[k];
                o << (k ? ", " : "") << "{\"type\": \"" << (x.target_type == kTargetZero ? "zero" : "linear")
                  << "\", \"num_sectors\": " << x.num_sectors;
                if (x.target_type == kTargetLinear) {
                    o << ", \"begin_sector\": " << x.target_data << ", \"offset\": " << su.offset + x.target_data * kSectorSize;
                }
                o << "}";
            }
            o << "], \"content\": " << json_string(v.contents[i].kind) << ", \"label\": "
              << json_string(v.contents[i].label) << "}";
        }
        o << (v.partitions.empty() ? "]}" : "\n       ]}");
    }
    o << (supers.empty() ? "]\n}\n" : "\n   ]\n}\n");
    return o.str();
}

std::string write_lp_human(const std::vector<SuperView>& supers, const std::string& device) {
    std::ostringstream o;
    if (supers.empty()) o << device << ": no partition holds LP metadata (no super)\n";
    for (size_t s = 0; s < supers.size(); ++s) {
        const SuperView& v = supers[s];
        const Super& su = v.super;
        o << (s ? "\n" : "") << escape_controls(v.name) << ": " << lp_label(su) << " (at " << su.offset << ", "
          << su.size << " B; metadata " << su.geometry.metadata_max_size << " B per slot"
          << (su.geometry_from_backup ? "; backup geometry" : "") << ")\n";
        // Widths follow the longest cell, as write_human's content column does.
        std::vector<std::vector<std::string>> rows = {{"Slots", "Name", "Group", "Attributes", "Size", "Extents", "Content"}};
        for (size_t i = 0; i < v.partitions.size(); ++i) {
            const LogicalPartition& p = v.partitions[i];
            rows.push_back({joined(p.slots), escape_controls(p.name), escape_controls(p.group),
                            attribute_names(p.attributes), std::to_string(p.size) + "B", extent_text(p.extents),
                            content_text(v.contents[i])});
        }
        std::vector<size_t> width(rows[0].size(), 0);
        for (const auto& r : rows) {
            for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
        }
        for (const auto& r : rows) {
            std::string line = "  ";
            for (size_t c = 0; c < r.size(); ++c) {
                std::string cell = r[c];
                if (c + 1 < r.size()) cell.resize(width[c] + 2, ' ');
                line += c == 4 ? std::string(width[c] - r[c].size(), ' ') + r[c] + "  " : cell;
            }
            o << line << "\n";
        }
    }
    return o.str();
}

}  // namespace mtkfw::lp
