#include "ops/scatter_layout.h"

#include <algorithm>
#include <set>

#include "base/text.h"

namespace mtkfw {
namespace {

std::string size_text(uint64_t v) { return hex(v) + " (" + std::to_string(v) + " bytes)"; }

// A name a scatter line ("  partition_name: NAME") can carry and read back unchanged: not empty,
// no space or tab at either end (readers trim them), no control characters (line breaks).
bool scatter_safe_name(const std::string& name) {
    if (name.empty() || name.front() == ' ' || name.front() == '\t' || name.back() == ' ' || name.back() == '\t') {
        return false;
    }
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7f) return false;
    }
    return true;
}

ScatterPartition user_row(const std::string& name, uint64_t start, uint64_t size) {
    ScatterPartition p;
    p.name = name;
    p.file_name = "NONE";
    p.type = "NORMAL_ROM";
    p.linear_start = p.physical_start = start;
    p.size = size;
    p.region = "EMMC_USER";
    p.storage = "HW_STORAGE_EMMC";
    p.operation_type = "INVISIBLE";
    return p;
}

// A reserved row's start: end-relative in block_size units, or absolute with --absolute-tail.
uint64_t tail_address(const std::string& name, uint64_t start, const LayoutOptions& o) {
    if (o.absolute_tail) return start;
    const uint64_t distance = o.device_size - start;
    if (distance % o.block_size != 0) {
        fail_input(name, "starts " + size_text(distance) + " before the end of the user area, not a multiple of " +
                             hex(o.block_size) + ": the end-relative form 0xFFFFnnnn cannot say where (check " +
                             "--device-size, or write the absolute address with --absolute-tail)");
    }
    if (distance / o.block_size > 0xFFFF) {
        fail_input(name, "starts " + size_text(distance) + " before the end of the user area: too far for the " +
                             "end-relative form 0xFFFFnnnn (use --absolute-tail)");
    }
    return kScatterEndRelative + distance / o.block_size;
}

void check_table(const PartitionTable& t, const LayoutOptions& o) {
    if (t.rows.empty()) fail_input("partition table", "no partitions");
    if (t.sector_size != 512) {
        fail_input("partition table", std::to_string(t.sector_size) + "-byte sectors: a V1.1.2 scatter describes eMMC (512)");
    }
    std::set<std::string> names;
    for (const PartitionRow& r : t.rows) {
        if (r.name == "preloader" || r.name == "pgpt" || r.name == "sgpt") {
            fail_input(r.name, "the scatter file reserves this name for a row of its own");
        }
        if (!scatter_safe_name(r.name)) {
            fail_input("partition " + std::to_string(r.index) + " ('" + escape_controls(r.name) + "')",
                       "a scatter file cannot carry this name (empty, spaces at an end, or control characters)");
        }
        if (!names.insert(r.name).second) fail_input(r.name, "two partitions have this name");
        if (r.size == 0) fail_input(r.name, "empty partition");
        if (r.end() > o.device_size) {
            fail_input(r.name, "ends at " + size_text(r.end()) + ", past the end of the user area at " +
                                   size_text(o.device_size) + " (check --device-size)");
        }
    }
    std::vector<const PartitionRow*> by_start;
    for (const PartitionRow& r : t.rows) by_start.push_back(&r);
    std::sort(by_start.begin(), by_start.end(), [](auto* a, auto* b) { return a->start < b->start; });
    for (size_t i = 1; i < by_start.size(); ++i) {
        const PartitionRow& a = *by_start[i - 1];
        const PartitionRow& b = *by_start[i];
        if (b.start < a.end()) {
            fail_input(a.name + " and " + b.name, "overlap (" + hex(a.start) + "+" + hex(a.size) + " and " +
                                                      hex(b.start) + "+" + hex(b.size) + ")");
        }
    }
    if (by_start.front()->start == 0) fail_input(by_start.front()->name, "starts at 0, where the primary GPT lives");
}

}  // namespace

Scatter layout_scatter(const PartitionTable& t, const ScatterPolicy& policy, const LayoutOptions& o,
                       Notices* notices) {
    check_table(t, o);
    Scatter s;
    s.config_version = "V1.1.2";
    s.platform = o.platform;
    s.project = o.project;
    s.storages.push_back({"EMMC", "MSDC_0", o.block_size});

    ScatterPartition pl = user_row("preloader", 0, o.preloader_size);
    pl.file_name = o.preloader_file;
    pl.is_download = true;
    pl.type = "SV5_BL_BIN";
    pl.region = "EMMC_BOOT_1";
    pl.operation_type = "BOOTLOADERS";
    s.partitions.push_back(pl);

    uint64_t first = UINT64_MAX, last_end = 0;
    for (const PartitionRow& r : t.rows) {
        first = std::min(first, r.start);
        last_end = std::max(last_end, r.end());
    }
    s.partitions.push_back(user_row("pgpt", 0, first));

    std::string unknown, unchecked;
    for (const PartitionRow& r : t.rows) {
        const PartitionPlan plan = policy.plan(r.name, r.content);
        ScatterPartition p = user_row(r.name, r.start, r.size);
        p.file_name = plan.file_name;
        p.is_download = plan.is_download;
        p.type = plan.type;
        p.operation_type = plan.operation_type;
        if (plan.reserved()) {
            p.boundary_check = false;
            p.is_reserved = true;
            p.linear_start = p.physical_start = tail_address(r.name, r.start, o);
        }
        if (!plan.known) unknown += (unknown.empty() ? "" : ", ") + r.name;
        if (plan.is_download && r.content == "unchecked") unchecked += (unchecked.empty() ? "" : ", ") + r.name;
        s.partitions.push_back(p);
    }

    // MediaTek keeps the backup GPT at the start of sgpt: the GPT's usable area ends there.
    uint64_t sgpt_start = t.last_lba ? (t.last_lba + 1) * t.sector_size : last_end;
    if (sgpt_start < last_end) sgpt_start = last_end;
    if (sgpt_start >= o.device_size) {
        fail_input("sgpt", "the backup GPT area starts at " + size_text(sgpt_start) + ", not inside the user area of " +
                               size_text(o.device_size) + " (check --device-size)");
    }
    ScatterPartition sgpt = user_row("sgpt", sgpt_start, o.device_size - sgpt_start);
    sgpt.boundary_check = false;
    sgpt.is_reserved = true;
    sgpt.operation_type = "RESERVED";
    sgpt.linear_start = sgpt.physical_start = tail_address("sgpt", sgpt_start, o);
    s.partitions.push_back(sgpt);

    for (size_t i = 0; i < s.partitions.size(); ++i) {
        ScatterPartition& p = s.partitions[i];
        p.index = "SYS" + std::to_string(i);
        if (scatter_end_relative(p.linear_start) && (!p.is_reserved || o.absolute_tail)) {
            fail_input(p.name, "starts at " + hex(p.linear_start) + ", which a scatter file reads as an end-relative address");
        }
    }
    if (!unknown.empty()) {
        notices->push_back({Notice::Level::warning, "no rule for " + unknown + ": written as INVISIBLE, not downloaded " +
                                                        "(name them in a --policy file to change that)"});
    }
    if (!unchecked.empty()) {
        notices->push_back({Notice::Level::warning, "content of " + unchecked + " unknown (the table came from a pipe): " +
                                                        "typed NORMAL_ROM; check the types"});
    }
    return s;
}

}  // namespace mtkfw
