#include "ops/scatter_layout.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "base/text.h"
#include "format/gpt.h"
#include "format/scatter_generation.h"

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
    p.is_upgradable = p.empty_boot_needed = p.combo_partsize_check = false;
    return p;
}

const ScatterGeneration& generation_of(const LayoutOptions& options) {
    return options.generation ? *options.generation : scatter_generations().front();
}

// 0xFFFF0000 + blocks, or a Failure naming the flag that writes the absolute address instead.
uint64_t end_relative(const std::string& name, uint64_t distance, uint64_t blocks) {
    if (blocks > 0xFFFF) {
        fail_input(name, "starts " + size_text(distance) + " before the end of the user area: too far for the " +
                             "end-relative form 0xFFFFnnnn", Remedy::absolute_tail);
    }
    return kScatterEndRelative + blocks;
}

// A reserved row's start in the MT6752 generation: its distance from the end, which must be a
// whole number of blocks (the stock MT6752 tails are).
uint64_t exact_tail_address(const std::string& name, uint64_t start, uint64_t device_size, uint64_t block_size) {
    const uint64_t distance = device_size - start;
    if (distance % block_size != 0) {
        fail_input(name, "starts " + size_text(distance) + " before the end of the user area, not a multiple of " +
                             hex(block_size) + ": the end-relative form 0xFFFFnnnn cannot say where",
                   Remedy::device_size_or_absolute_tail);
    }
    return end_relative(name, distance, distance / block_size);
}

// One row on its own: a name a scatter can carry once, a size, an end inside the user area.
void check_row(const PartitionRow& r, std::set<std::string>& names, const LayoutOptions& options) {
    if (r.name == "preloader" || r.name == "preloader_backup" || r.name == "pgpt" || r.name == "sgpt") {
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

// 512-byte sectors (eMMC) and 4096-byte ones (UFS LU2) are both GPTs a scatter describes.
void check_table(const PartitionTable& table, const LayoutOptions& options) {
    if (table.rows.empty()) fail_input("partition table", "no partitions");
    if (table.sector_size != 512 && table.sector_size != 4096) {
        fail_input("partition table", std::to_string(table.sector_size) +
                                          "-byte sectors: scatter files describe eMMC (512) and UFS (4096)");
    }
    std::set<std::string> names;
    for (const PartitionRow& r : table.rows) check_row(r, names, options);
    check_overlaps(table);
}

// The preloader row(s), in the eMMC section's regions (MODERN.md 1.3).  is_upgradable: true
// where one row covers both boot areas (every such sample), false beside a preloader_backup
// row (MT6781).
// The row's size: the preloader image's GFH max_size on MT6752-era phones (doc/FORMATS.md); later
// stock rows never say less than their generation's size (MT6768 and up: 0x80000) although real
// preloaders of that time still declare 0x40000 (preloader_hs03s.bin, MT6765), so the larger wins.
void add_preloader_rows(Scatter& scatter, const LayoutOptions& options) {
    const ScatterGeneration& g = generation_of(options);
    uint64_t size = options.preloader_size ? options.preloader_size : g.preloader_size;
    if (g.preloader != PreloaderRows::boot_1) size = std::max(size, g.preloader_size);
    ScatterPartition row = user_row("preloader", 0, size);
    row.file_name = options.preloader_file;
    row.is_download = true;
    row.type = "SV5_BL_BIN";
    row.operation_type = "BOOTLOADERS";
    row.region = g.preloader == PreloaderRows::boot_1        ? "EMMC_BOOT_1"
                 : g.preloader == PreloaderRows::boot1_boot2 ? "EMMC_BOOT1_BOOT2"
                                                             : "EMMC_BOOT1";
    row.is_upgradable = g.preloader != PreloaderRows::with_backup;
    scatter.partitions.push_back(row);
    if (g.preloader != PreloaderRows::with_backup) return;
    row.name = "preloader_backup";
    row.type = "NORMAL_ROM";
    row.region = "EMMC_BOOT2";
    scatter.partitions.push_back(row);
}

// Names listed for one notice: "a, b, c".
void add_name(std::string& list, const std::string& name) { list += (list.empty() ? "" : ", ") + name; }

// How many rows at the table's end the policy makes RESERVED: the end-relative tail.
size_t tail_length(const PartitionTable& table, const ScatterPolicy& policy) {
    size_t n = 0;
    while (n < table.rows.size() && policy.plan(table.rows[table.rows.size() - 1 - n].name, "").reserved()) ++n;
    return n;
}

// One row per GPT partition, in table order, as the policy plans it.  Reserved rows keep their
// absolute start here; place_tail encodes them per section.
void add_table_rows(Scatter& scatter, const PartitionTable& table, const ScatterPolicy& policy, Notices& notices) {
    std::string unknown, untyped, cut, whole, firmware;
    std::map<std::string, std::string> by_name;  // type: the names typed so by name only
    const size_t first_tail = table.rows.size() - tail_length(table, policy);
    for (size_t i = 0; i < table.rows.size(); ++i) {
        const PartitionRow& r = table.rows[i];
        const PartitionPlan plan = i >= first_tail ? policy.plan(r.name, r.content) : policy.plan_in_middle(r.name, r.content);
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
        row.is_upgradable = plan.is_upgradable;
        row.empty_boot_needed = plan.empty_boot_needed;
        row.combo_partsize_check = plan.combo_partsize_check;
        if (plan.reserved()) {
            row.boundary_check = false;
            row.is_reserved = true;
            row.is_upgradable = false;
        }
        if (!plan.known && !plan.firmware_by_content) add_name(unknown, r.name);
        if (plan.firmware_by_content) add_name(firmware, r.name);
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
    if (!firmware.empty()) {
        notices.push_back({Notice::Level::warning, "no rule for " + firmware + ": each holds a MediaTek image " +
                                                       "(mtk-image), downloaded as firmware (UPDATE)", Remedy::write_policy});
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

// The sgpt row at its absolute start: MediaTek keeps the backup GPT at the start of sgpt, so the
// GPT's usable area ends there, and sgpt runs to the end of the user area.  Stock files of later
// generations say 0x4200 (V1.1.2) or 0x8000 (V1.1.8, V2.1.0): the phone's own GPT says which, and
// a tail row's end-relative start barely depends on it (floor, MODERN.md 1.4).  An sgpt outside the
// user area is left empty here and refused by place_tail, after the rows before it.
ScatterPartition sgpt_row(const PartitionTable& table, const LayoutOptions& options) {
    uint64_t last_end = 0;
    for (const PartitionRow& r : table.rows) last_end = std::max(last_end, r.end());
    // A table read from text may say any last_lba: (last_lba + 1) * sector_size must not wrap.
    if (table.last_lba >= UINT64_MAX / table.sector_size) {
        fail_input("partition table", "last usable LBA " + std::to_string(table.last_lba) + " lies past any disk");
    }
    uint64_t start = table.last_lba ? (table.last_lba + 1) * table.sector_size : last_end;
    if (start < last_end) start = last_end;
    start = std::min(start, options.device_size);
    ScatterPartition row = user_row("sgpt", start, options.device_size - start);
    row.boundary_check = false;
    row.is_reserved = true;
    row.operation_type = "RESERVED";
    row.is_upgradable = false;
    return row;
}

// The reserved rows' starts in one section (the rows from the last ordinary one to the end):
// absolute, or end-relative in its block_size.  Checked front to back, so an error names the
// first row that cannot be said.
void place_tail(std::vector<ScatterPartition>& rows, const LayoutOptions& options, uint64_t block_size) {
    size_t first = rows.size();
    while (first > 0 && rows[first - 1].is_reserved) --first;
    uint64_t remaining = 0;  // this row's size and the sizes of the reserved rows after it
    for (size_t i = first; i < rows.size(); ++i) remaining += rows[i].size;
    const bool exact = generation_of(options).tail == TailRule::exact;
    for (size_t i = first; i < rows.size(); ++i) {
        ScatterPartition& row = rows[i];
        if (row.name == "sgpt" && row.size == 0) {
            fail_input("sgpt", "the backup GPT area starts at " + size_text(row.linear_start) +
                                   ", not inside the user area of " + size_text(options.device_size),
                       Remedy::check_device_size);
        }
        if (!options.absolute_tail) {
            row.linear_start = exact ? exact_tail_address(row.name, row.linear_start, options.device_size, block_size)
                                     : end_relative(row.name, remaining, remaining / block_size);
            row.physical_start = row.linear_start;
        }
        remaining -= row.size;
    }
}

// SYS0, SYS1, ... in row order; an absolute start in the 0xFFFF range would read back end-relative.
void number_rows(std::vector<ScatterPartition>& rows, const LayoutOptions& options) {
    for (size_t i = 0; i < rows.size(); ++i) {
        ScatterPartition& row = rows[i];
        row.index = "SYS" + std::to_string(i);
        if (scatter_end_relative(row.linear_start) && (!row.is_reserved || options.absolute_tail)) {
            fail_input(row.name, "starts at " + hex(row.linear_start) + ", which a scatter file reads as an end-relative address");
        }
    }
}

// The keys a generation's rows carry: 14 (none of the optional three), 15 (empty_boot_needed),
// 16 (+ is_upgradable), 17 (+ combo_partsize_check).
void keep_keys(ScatterPartition& row, int keys) {
    if (keys < 15) row.empty_boot_needed.reset();
    if (keys < 16) row.is_upgradable.reset();
    if (keys < 17) row.combo_partsize_check.reset();
}

// The rows of one storage section: the eMMC-form rows with that storage's regions and tail.
std::vector<ScatterPartition> section(const std::vector<ScatterPartition>& rows, const ScatterStorage& storage,
                                      bool named, const LayoutOptions& options) {
    std::vector<ScatterPartition> out = rows;
    for (ScatterPartition& row : out) {
        if (named) row.storage_type = storage.storage;
        row.region = region_in(storage.storage, row.region);
        row.storage = hw_storage(storage.storage);
        keep_keys(row, generation_of(options).keys);
    }
    place_tail(out, options, storage.block_size);
    number_rows(out, options);
    return out;
}

}  // namespace

Scatter layout_scatter(const PartitionTable& table, const ScatterPolicy& policy, const LayoutOptions& options,
                       Notices& notices) {
    const ScatterGeneration& g = generation_of(options);
    check_table(table, options);
    Scatter scatter;
    scatter.config_version = std::string(g.config_version);
    scatter.platform = options.platform;
    scatter.project = options.project;
    // V1.1.8's text form has modem_check and modem; its XML twin has neither (MODERN.md 1.1).
    if (g.modem_keys && options.format == ScatterFormat::txt) {
        scatter.general_extra = {{"modem_check", "false"}, {"modem", "NA"}};
    }
    scatter.style.format = options.format;
    scatter.style.layout_banner = std::string(g.layout_banner);
    add_preloader_rows(scatter, options);
    uint64_t first = UINT64_MAX;
    for (const PartitionRow& r : table.rows) first = std::min(first, r.start);
    scatter.partitions.push_back(user_row("pgpt", 0, first));
    add_table_rows(scatter, table, policy, notices);
    warn_raw_file_systems(scatter, table, notices);
    scatter.partitions.push_back(sgpt_row(table, options));
    std::vector<ScatterPartition> rows = std::move(scatter.partitions);
    scatter.partitions.clear();
    if (g.multi_storage) {
        scatter.storages = {storage_facts("EMMC"), storage_facts("UFS")};
    } else {
        scatter.storages = {storage_facts(options.storage)};
    }
    for (const ScatterStorage& storage : scatter.storages) {
        for (ScatterPartition& row : section(rows, storage, g.multi_storage, options)) {
            scatter.partitions.push_back(std::move(row));
        }
    }
    return scatter;
}

ScatterNames scatter_names(const std::optional<std::string>& platform, const std::optional<std::string>& project,
                           const PartitionTable& table, const std::optional<PreloaderImage>& preloader) {
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
    const std::optional<std::string> named = preloader ? project_of_preloader(preloader->file_name) : std::nullopt;
    if (project && !project->empty()) {
        names.project = *project;
    } else if (named) {
        names.project = *named;
        names.project_from = NameSource::preloader;
    } else {
        names.project = to_lower(names.platform);
        names.project_from = NameSource::platform;
    }
    return names;
}

}  // namespace mtkfw
