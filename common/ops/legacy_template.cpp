#include "ops/legacy_template.h"

#include <algorithm>
#include <vector>

#include "base/bytes.h"
#include "base/text.h"

namespace mtkfw {
namespace {

constexpr uint32_t kLkMagic = 0x58881688;  // MediaTek's part header at the start of lk.bin

std::string entry_name(const PartitionTable& t, const PartitionRow& r) {
    const auto s = t.sources.find(r.index);
    return "p" + std::to_string(r.index) + (s == t.sources.end() ? "" : " (" + s->second + ")");
}

// The template rows of the user area (not the boot area, not BMTPOOL/OTP's end-relative addresses).
std::vector<const ScatterPartition*> user_rows(const Scatter& scatter) {
    std::vector<const ScatterPartition*> rows;
    for (const ScatterPartition& p : scatter.partitions) {
        if (p.region.rfind("EMMC_BOOT", 0) == 0 || scatter_end_relative(p.linear_start)) continue;
        rows.push_back(&p);
    }
    return rows;
}

// "ANDROID!" or LK's header where the template puts BOOTIMG, RECOVERY and UBOOT.
void check_content(const Input& in, const ScatterPartition& p, uint64_t at, const std::string& source,
                   Notices& notices) {
    const bool lk = p.name == "UBOOT";
    if (!lk && p.name != "BOOTIMG" && p.name != "RECOVERY") return;
    std::vector<uint8_t> head(8);
    if (at > in.size() || in.size() - at < head.size()) {
        fail_input(source, "row " + p.name + " at dump offset " + hex(at) + " is past the end of the dump");
    }
    in.read_at(head.data(), head.size(), at);
    if (all_equal(head, 0) || all_equal(head, 0xFF)) {
        notices.push_back({Notice::Level::warning, source + ": row " + p.name + " at dump offset " + hex(at) +
                                                       " is erased: its content was not checked"});
        return;
    }
    const bool ok = lk ? le32(head, 0) == kLkMagic : has_magic(head, 0, "ANDROID!");
    if (!ok) {
        fail_input(source, "row " + p.name + ": the dump at " + hex(at) + " holds no " +
                               (lk ? "LK header (0x58881688)" : "boot image (\"ANDROID!\")") +
                               ": this template is not this phone's layout");
    }
}


const ScatterPartition& template_mbr(const Scatter& scatter, const std::string& source) {
    const ScatterPartition* mbr = scatter.find("MBR");
    if (!mbr) fail_input(source, "no MBR row: not the scatter of a phone with an MBR/EBR table (V1.1.1)");
    return *mbr;
}

}  // namespace

void check_legacy_layout(const Scatter& scatter, const std::string& source, PartitionTable* table) {
    if (table->label != "mbr") fail_input(source, "the table is a GPT's: a template names the partitions of an MBR/EBR dump");
    const ScatterPartition* mbr = &template_mbr(scatter, source);
    const uint64_t mbr_at = table->first_lba * table->sector_size;
    // dump offset = linear - MBR_linear + where the MBR sits in the dump
    auto dump_offset = [&](uint64_t linear) { return linear - mbr->linear_start + mbr_at; };
    const std::vector<const ScatterPartition*> rows = user_rows(scatter);
    // A table that went through a template before (gpt-list --template --tsv) holds its raw rows:
    // they are made again below from this template.
    std::erase_if(table->rows, [](const PartitionRow& r) { return r.index == 0; });
    std::vector<const ScatterPartition*> listed;
    for (size_t i = 0; i < table->rows.size(); ++i) {
        PartitionRow& r = table->rows[i];
        const ScatterPartition* match = nullptr;
        for (const ScatterPartition* p : rows) {
            if (p->linear_start >= mbr->linear_start && dump_offset(p->linear_start) == r.start) match = p;
        }
        const std::string entry = entry_name(*table, r);
        if (!match) {
            fail_input(source, "no row starts where " + entry + " does (dump offset " + hex(r.start) + ", linear " +
                                   hex(r.start - mbr_at + mbr->linear_start) + "): not this phone's layout");
        }
        const bool link = r.type_guid == "5" || r.type_guid == "f" || r.type_guid == "85";
        const bool last = i + 1 == table->rows.size();
        if (link || last) {
            if (match->size > r.size) {
                fail_input(source, "row " + match->name + ": size " + hex(match->size) + " does not fit in " + entry +
                                       " (" + hex(r.size) + " to the end of the dump)");
            }
        } else if (match->size != r.size) {
            fail_input(source, "row " + match->name + ": size " + hex(match->size) + ", but " + entry + " has " +
                                   hex(r.size) + ": not this phone's layout");
        }
        if (link && match->name != "EBR1") {
            fail_input(source, "row " + match->name + " starts where the MBR's link to EBR1 points: expected EBR1");
        }
        if (!r.name.empty() && r.name != match->name) {
            fail_input(source, "row " + match->name + " starts where " + entry + " named " + escape_controls(r.name) +
                                   " does: not this phone's layout");
        }
        r.name = match->name;
        r.size = match->size;
        listed.push_back(match);
    }
    // The rows no table entry lists (MBR, EBR2..., UBOOT, BOOTIMG, ...): where the template puts
    // them, in its order, after the entries.
    for (const ScatterPartition* p : rows) {
        if (p->linear_start < mbr->linear_start || std::find(listed.begin(), listed.end(), p) != listed.end()) continue;
        PartitionRow r;
        r.name = p->name;
        r.start = dump_offset(p->linear_start);
        r.size = p->size;
        if (r.start + r.size < r.start) fail_input(source, "row " + p->name + ": start + size overflows");
        table->rows.push_back(std::move(r));
    }
}

Scatter legacy_scatter(const Scatter& stock, const std::string& source, PartitionTable* table,
                       const std::set<std::string>& skip, Notices& notices) {
    check_legacy_layout(stock, source, table);
    Scatter scatter = stock;
    const uint64_t mbr_linear = template_mbr(stock, source).linear_start;
    std::string set, first;  // the rows set; the first one's old value
    bool all_zero = true;
    for (ScatterPartition& p : scatter.partitions) {
        if (p.region.rfind("EMMC_BOOT", 0) == 0 || scatter_end_relative(p.linear_start) || p.linear_start < mbr_linear) continue;
        if (p.physical_start == p.linear_start - mbr_linear) continue;
        if (set.empty()) first = p.name + " " + hex(p.physical_start);
        all_zero = all_zero && p.physical_start == 0;
        set += (set.empty() ? "" : ", ") + p.name;
        p.physical_start = p.linear_start - mbr_linear;
    }
    if (!set.empty()) {
        notices.push_back({Notice::Level::warning,
                           source + ": physical_start_addr set to linear_start_addr - " + hex(mbr_linear) +
                               " (the MBR row's) on " + set +
                               (all_zero ? ": the template has 0x0 there, as MTK Droid Tools writes it (MODERN.md 5.2)"
                                         : ": the template's were not user-area offsets (" + first + ")")});
    }
    for (const std::string& name : skip) {  // stock V1.1.1 names are upper case (USRDATA): either way
        auto it = std::find_if(scatter.partitions.begin(), scatter.partitions.end(),
                               [&](const ScatterPartition& p) { return equal_ignoring_case(p.name, name); });
        if (it == scatter.partitions.end()) fail_usage("--skip", "no row named '" + name + "' in the template " + source);
        if (it->type == "SV5_BL_BIN") fail_usage("--skip", it->name + " is the preloader: a firmware without it cannot be flashed");
        it->is_download = false;
        it->file_name = "NONE";
        it->type = "NONE";
    }
    return scatter;
}

void apply_legacy_template(const Input& in, const Scatter& scatter, const std::string& source,
                           PartitionTable* table, Notices& notices) {
    check_legacy_layout(scatter, source, table);
    for (const PartitionRow& r : table->rows) {
        if (r.index == 0) {
            if (r.end() > in.size()) {
                fail_input(source, "row " + r.name + " (dump offset " + hex(r.start) + ", " + hex(r.size) +
                                       " bytes) runs past the end of the dump (" + hex(in.size()) + ")");
            }
            check_content(in, *scatter.find(r.name), r.start, source, notices);
        }
    }
    // The MBR and EBRn rows are the tables of the chain: the firmware's MBR and EBRn files are
    // the 512 bytes there (doc/FORMATS.md).
    for (const auto& [name, offset] : table->tables) {
        const PartitionRow* r = table->find(name);
        if (!r) fail_input(source, "no " + name + " row, but the dump's chain has " + name + " at " + hex(offset) + ": not this phone's layout");
        if (r->start != offset) {
            fail_input(source, "row " + name + " is at dump offset " + hex(r->start) + ", but the dump's " + name +
                                   " is at " + hex(offset) + ": not this phone's layout");
        }
    }
    for (const PartitionRow& r : table->rows) {
        const bool br = r.name == "MBR" || (r.name.rfind("EBR", 0) == 0 && r.name.size() > 3 &&
                                            r.name.find_first_not_of("0123456789", 3) == std::string::npos);
        const bool in_chain = std::any_of(table->tables.begin(), table->tables.end(),
                                          [&](const auto& t) { return t.first == r.name; });
        if (br && !in_chain) {
            fail_input(source, "row " + r.name + " at dump offset " + hex(r.start) + ": the dump's MBR/EBR chain has no " +
                                   r.name + " there: not this phone's layout");
        }
    }
}

}  // namespace mtkfw
