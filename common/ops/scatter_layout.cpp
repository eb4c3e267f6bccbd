#include "ops/scatter_layout.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>

#include "base/text.h"
#include "format/gpt.h"
#include "io/input.h"

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

// A reserved row's start: end-relative in block_size units, or absolute when asked for.
uint64_t tail_address(const std::string& name, uint64_t start, const LayoutOptions& options) {
    if (options.absolute_tail) return start;
    const uint64_t distance = options.device_size - start;
    if (distance % options.block_size != 0) {
        fail_input(name, "starts " + size_text(distance) + " before the end of the user area, not a multiple of " +
                             hex(options.block_size) + ": the end-relative form 0xFFFFnnnn cannot say where",
                   Remedy::device_size_or_absolute_tail);
    }
    if (distance / options.block_size > 0xFFFF) {
        fail_input(name, "starts " + size_text(distance) + " before the end of the user area: too far for the " +
                             "end-relative form 0xFFFFnnnn", Remedy::absolute_tail);
    }
    return kScatterEndRelative + distance / options.block_size;
}

// One row on its own: a name a scatter can carry once, a size, an end inside the user area.
void check_row(const PartitionRow& r, std::set<std::string>& names, const LayoutOptions& options) {
    if (r.name == "preloader" || r.name == "pgpt" || r.name == "sgpt") {
        fail_input(r.name, "the scatter file reserves this name for a row of its own");
    }
    if (!scatter_safe_name(r.name)) {
        fail_input("partition " + std::to_string(r.index) + " ('" + escape_controls(r.name) + "')",
                   "a scatter file cannot carry this name (empty, spaces at an end, or control characters)");
    }
    if (!names.insert(r.name).second) fail_input(r.name, "two partitions have this name");
    if (r.size == 0) fail_input(r.name, "empty partition");
    if (r.end() > options.device_size) {
        fail_input(r.name, "ends at " + size_text(r.end()) + ", past the end of the user area at " +
                               size_text(options.device_size), Remedy::check_device_size);
    }
}

void check_overlaps(const PartitionTable& table) {
    std::vector<const PartitionRow*> by_start;
    for (const PartitionRow& r : table.rows) by_start.push_back(&r);
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

void check_table(const PartitionTable& table, const LayoutOptions& options) {
    if (table.rows.empty()) fail_input("partition table", "no partitions");
    if (table.sector_size != 512) {
        fail_input("partition table",
                   std::to_string(table.sector_size) + "-byte sectors: a V1.1.2 scatter describes eMMC (512)");
    }
    std::set<std::string> names;
    for (const PartitionRow& r : table.rows) check_row(r, names, options);
    check_overlaps(table);
}

ScatterPartition preloader_row(const LayoutOptions& options) {
    ScatterPartition row = user_row("preloader", 0, options.preloader_size);
    row.file_name = options.preloader_file;
    row.is_download = true;
    row.type = "SV5_BL_BIN";
    row.region = "EMMC_BOOT_1";
    row.operation_type = "BOOTLOADERS";
    return row;
}

// Names listed for one notice: "a, b, c".
void add_name(std::string& list, const std::string& name) { list += (list.empty() ? "" : ", ") + name; }

// One row per GPT partition, in table order, as the policy plans it.
void add_table_rows(Scatter& scatter, const PartitionTable& table, const ScatterPolicy& policy,
                    const LayoutOptions& options, Notices& notices) {
    std::string unknown, untyped, cut, whole;
    std::map<std::string, std::string> by_name;  // type: the names typed so by name only
    for (const PartitionRow& r : table.rows) {
        const PartitionPlan plan = policy.plan(r.name, r.content);
        if (plan.is_download && table.dump_size && r.end() > *table.dump_size) {
            cut += (cut.empty() ? "" : ",") + r.name;  // in --skip's form, to be copied
        } else if (plan.is_download) {
            add_name(whole, r.name);
        }
        ScatterPartition row = user_row(r.name, r.start, r.size);
        row.file_name = plan.file_name;
        row.is_download = plan.is_download;
        row.type = plan.type;
        row.operation_type = plan.operation_type;
        if (plan.reserved()) {
            row.boundary_check = false;
            row.is_reserved = true;
            row.linear_start = row.physical_start = tail_address(r.name, r.start, options);
        }
        if (!plan.known) add_name(unknown, r.name);
        if (plan.is_download && plan.type_from == TypeSource::stock_name) add_name(by_name[plan.type], r.name);
        if (plan.is_download && plan.type_from == TypeSource::nothing) add_name(untyped, r.name);
        scatter.partitions.push_back(row);
    }
    if (!cut.empty()) {
        fail_input("truncated readback", cut + " would be downloaded but end past the dump's " +
                                             std::to_string(*table.dump_size) + " bytes; still whole: " +
                                             (whole.empty() ? "none" : whole) + "; the whole user area is " +
                                             "SP Flash Tool's Readback with " + readback_length_text(table),
                   Remedy::skip_cut);
    }
    // A sparse file system image typed NORMAL_ROM is written raw by SP Flash Tool: the phone
    // would not boot.  Never guess a downloaded partition's type.
    if (!untyped.empty()) {
        fail_input(untyped, "downloaded, but the table does not say what it holds (it was listed from a pipe) and no "
                            "rule gives its type: NORMAL_ROM would have SP Flash Tool write a sparse image raw",
                   Remedy::name_type);
    }
    if (!unknown.empty()) {
        notices.push_back({Notice::Level::warning, "no rule for " + unknown + ": written as INVISIBLE, not downloaded",
                           Remedy::write_policy});
    }
    if (!by_name.empty()) {
        std::string types;
        for (const auto& [type, names] : by_name) types += (types.empty() ? "" : "; ") + type + " " + names;
        notices.push_back({Notice::Level::warning,
                           "content unknown (the table came from a pipe): typed by name, as stock builds are: " + types});
    }
}

// The partitions stock MT6752 firmware ships as sparse ext4 images (system, cache and userdata are
// EXT4_IMG in both stock MT6752 scatters and the seed blog's P-70A: doc/FORMATS.md).  One of
// them downloaded without an ext4 file system (encrypted, f2fs, damaged) is written raw, every
// byte of it: userdata alone can be most of the eMMC.
void warn_raw_file_systems(const Scatter& scatter, const PartitionTable& table, Notices& notices) {
    static const std::set<std::string> kStockExt4 = {"system", "cache", "userdata"};
    for (const ScatterPartition& row : scatter.partitions) {
        const PartitionRow* r = table.find(row.name);
        if (!r || !row.is_download || row.type != "NORMAL_ROM" || !kStockExt4.count(row.name)) continue;
        if (r->content == "unchecked") continue;  // said by the pipe's own warning
        notices.push_back({Notice::Level::warning, row.name + ": no ext4 file system (" + r->content +
                                                       "): written raw at full size, " + std::to_string(row.size) +
                                                       " bytes"});
    }
}

// MediaTek keeps the backup GPT at the start of sgpt: the GPT's usable area ends there.
ScatterPartition sgpt_row(const PartitionTable& table, const LayoutOptions& options) {
    uint64_t last_end = 0;
    for (const PartitionRow& r : table.rows) last_end = std::max(last_end, r.end());
    // A table read from text may say any last_lba: (last_lba + 1) * sector_size must not wrap.
    if (table.last_lba >= UINT64_MAX / table.sector_size) {
        fail_input("partition table", "last usable LBA " + std::to_string(table.last_lba) + " lies past any disk");
    }
    uint64_t start = table.last_lba ? (table.last_lba + 1) * table.sector_size : last_end;
    if (start < last_end) start = last_end;
    if (start >= options.device_size) {
        fail_input("sgpt", "the backup GPT area starts at " + size_text(start) + ", not inside the user area of " +
                               size_text(options.device_size), Remedy::check_device_size);
    }
    ScatterPartition row = user_row("sgpt", start, options.device_size - start);
    row.boundary_check = false;
    row.is_reserved = true;
    row.operation_type = "RESERVED";
    row.linear_start = row.physical_start = tail_address("sgpt", start, options);
    return row;
}

// SYS0, SYS1, ... in row order; an absolute start in the 0xFFFF range would read back end-relative.
void number_rows(Scatter& scatter, const LayoutOptions& options) {
    for (size_t i = 0; i < scatter.partitions.size(); ++i) {
        ScatterPartition& row = scatter.partitions[i];
        row.index = "SYS" + std::to_string(i);
        if (scatter_end_relative(row.linear_start) && (!row.is_reserved || options.absolute_tail)) {
            fail_input(row.name, "starts at " + hex(row.linear_start) + ", which a scatter file reads as an end-relative address");
        }
    }
}

}  // namespace

Scatter layout_scatter(const PartitionTable& table, const ScatterPolicy& policy, const LayoutOptions& options,
                       Notices& notices) {
    check_table(table, options);
    Scatter scatter;
    scatter.config_version = "V1.1.2";
    scatter.platform = options.platform;
    scatter.project = options.project;
    scatter.storages.push_back({"EMMC", "MSDC_0", options.block_size});
    scatter.partitions.push_back(preloader_row(options));
    uint64_t first = UINT64_MAX;
    for (const PartitionRow& r : table.rows) first = std::min(first, r.start);
    scatter.partitions.push_back(user_row("pgpt", 0, first));
    add_table_rows(scatter, table, policy, options, notices);
    warn_raw_file_systems(scatter, table, notices);
    scatter.partitions.push_back(sgpt_row(table, options));
    number_rows(scatter, options);
    return scatter;
}

ScatterNames scatter_names(const std::optional<std::string>& platform, const std::optional<std::string>& project,
                           const PartitionTable& table, const std::optional<std::string>& preloader_path,
                           Notices& notices) {
    ScatterNames names;
    if (platform) {
        names.platform = *platform;
    } else if (!table.platform.empty()) {
        names.platform = table.platform;
        names.platform_from = NameSource::table;
    } else {
        throw Failure(Exit::usage, "platform", "required: the table does not say it", Remedy::name_platform);
    }
    if (names.platform.size() < 6 || !names.platform.starts_with("MT")) {
        throw Failure(Exit::usage, "platform", "expected MTxxxx, got '" + names.platform + "'", Remedy::name_platform);
    }
    if (preloader_path) {
        Input in = Input::open(*preloader_path);
        names.preloader = read_preloader_image(in, notices);
    }
    const std::optional<std::string> named =
        names.preloader ? project_of_preloader(names.preloader->file_name) : std::nullopt;
    if (project && !project->empty()) {
        names.project = *project;
    } else if (named) {
        names.project = *named;
        names.project_from = NameSource::preloader;
    } else {
        for (char c : names.platform) names.project += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        names.project_from = NameSource::platform;
    }
    return names;
}

}  // namespace mtkfw
