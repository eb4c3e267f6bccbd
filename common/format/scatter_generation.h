// The generations of MediaTek's scatter file: which config_version, key set, storage sections,
// preloader rows and rule table (format/scatter_policy.h) a chip's stock firmware uses.  Data,
// not code: the table is in scatter_generation.cpp, each row with the samples it comes from
// (MODERN.md 1.1-1.5 and the stock samples MODERN.md 1.9 lists).
//
// Fields of a generation (what the layout does with each):
//   name            "mt6752", "v1.1.2", ... (scatter-gen --describe prints it; --scatter-version
//                   accepts it)
//   config_version  "V1.1.2", "V1.1.8", "V2.1.0": the general block's first key
//   keys            keys per row: 14 (MT6752), 15 (+ empty_boot_needed: MT6737M), 16
//                   (+ is_upgradable), 17 (+ combo_partsize_check); order MODERN.md 1.1
//   storages        V1.x: one (the phone's); V2.x: EMMC and UFS, the same rows, each section
//                   with its regions and block_size (MODERN.md 1.2)
//   preloader       one row in EMMC_BOOT_1 (MT6752 era), one row written to both boot areas
//                   (EMMC_BOOT1_BOOT2 / UFS_LU0_LU1), or preloader + preloader_backup
//                   (EMMC_BOOT1 + EMMC_BOOT2 / UFS_LU0 + UFS_LU1: MT6781): MODERN.md 1.3
//   preloader_size  the row's size when no --preloader image says its own (stock samples)
//   tail            exact: end-relative rows must lie a whole number of blocks before the end
//                   (MT6752; scatter-gen refuses others), floor: 0xFFFF + floor(S / block_size),
//                   S = the row's size and the sizes of every reserved row after it (MODERN.md 1.4)
//   sgpt_area       bytes MediaTek reserves after the GPT's usable area for the backup GPT (the
//                   sgpt row): 512 KiB on MT6752-era phones (their scatters: sgpt 0x80000 at
//                   0xFFFF0004), so a readback shorter than that lacks part of the phone; 0 on later
//                   ones, whose GPT ends the device with its backup (stock sgpt rows of 0x4200 or
//                   0x8000 right after the last partition, MODERN.md 1.4)
//   modem_keys      V1.1.8's general keys modem_check: false, modem: NA
//   layout_banner   the banner over the rows
//   policy          the rule tables (scatter_policy_tables.cpp), applied in order
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/scatter.h"

namespace mtkfw {

enum class PreloaderRows { boot_1, boot1_boot2, with_backup };
enum class TailRule { exact, floor };

struct ScatterGeneration {
    std::string_view name;
    std::string_view config_version;
    int keys = 14;
    bool multi_storage = false;  // V2.x: an EMMC and a UFS section
    PreloaderRows preloader = PreloaderRows::boot_1;
    uint64_t preloader_size = 0x40000;
    TailRule tail = TailRule::exact;
    uint64_t sgpt_area = 0;
    bool modem_keys = false;
    std::string_view layout_banner = "Layout Setting";
    std::vector<std::string_view> policy;  // names of rule tables, base first
    std::string_view evidence;             // the samples it was built from
};

// Where the generation used came from.
struct GenerationChoice {
    const ScatterGeneration* generation = nullptr;
    std::string source;  // "table", "nearest MT6765" (a chip the table does not list), "given"
    bool nearest() const { return source.starts_with("nearest"); }
};

// Every generation, oldest first.
const std::vector<ScatterGeneration>& scatter_generations();

// The chips the table lists for generation `name`: "MT6762, MT6765, MT6771" (empty: none).
std::string generation_chips(std::string_view name);

// The generation of `platform` ("MT6768", "MT6769Z"): the table's row for its chip number, else
// the generation of the range it falls in (source "nearest MTxxxx", the sample the range rests
// on).  Throws Failure(usage) for a name that is not MT + four digits.
GenerationChoice generation_for(std::string_view platform);

// --scatter-version: a generation name ("v2.1.0-17") or a config_version ("V1.1.8"): the
// platform's own generation when it has that version, else the version's plain generation
// ("v1.1.8").  nullptr: unknown.
const ScatterGeneration* generation_named(std::string_view version, const ScatterGeneration& platforms);

// Text for the CLI layer (the library never prints):
// every generation, "mt6752 (V1.1.2, 14 keys: MT6752); ..." (--help);
std::string generations_summary();
// the names --scatter-version takes, "mt6752, mt6735, ..., or their config_version (...)";
std::string generation_names();
// `generation` as --describe's key=value lines: platform, generation, config_version, keys,
// storages (`storage` for a V1.x generation: the phone's), format, sgpt_area, source.
std::string describe_generation(const ScatterGeneration& generation, const std::string& platform,
                                const std::string& storage, ScatterFormat format, const std::string& source);

// The storage section's fixed facts: EMMC (MSDC_0, 0x20000) or UFS (UFSHCI_0, 0x80000).
ScatterStorage storage_facts(std::string_view storage);

// The region a row of `emmc_region` has in `storage`'s section: EMMC_USER -> UFS_LU2,
// EMMC_BOOT1_BOOT2 -> UFS_LU0_LU1, EMMC_BOOT1 -> UFS_LU0, EMMC_BOOT2 -> UFS_LU1 (MODERN.md 1.3).
std::string region_in(std::string_view storage, std::string_view emmc_region);

// "EMMC" -> "HW_STORAGE_EMMC".
std::string hw_storage(std::string_view storage);

}  // namespace mtkfw
