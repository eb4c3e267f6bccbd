#include "ops/legacy_template.h"

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
    }
}

void apply_legacy_template(const Input& in, const Scatter& scatter, const std::string& source,
                           PartitionTable* table, Notices& notices) {
    check_legacy_layout(scatter, source, table);
    const ScatterPartition& mbr = template_mbr(scatter, source);
    const uint64_t mbr_at = table->first_lba * table->sector_size;
    for (const ScatterPartition* p : user_rows(scatter)) {
        const uint64_t dump_offset = p->linear_start - mbr.linear_start + mbr_at;
        if (p->linear_start >= mbr.linear_start) check_content(in, *p, dump_offset, source, notices);
    }
}

}  // namespace mtkfw
