// From a phone's partition table (gpt-list --tsv) to the rows of its scatter file, as
// MediaTek's generator lays them out for the chip's generation (format/scatter_generation.h):
//   preloader row(s)  SYS0 preloader in EMMC_BOOT_1 (MT6752 era) or EMMC_BOOT1_BOOT2 (later), or
//                     preloader + preloader_backup in EMMC_BOOT1 + EMMC_BOOT2 (MT6781): SV5_BL_BIN
//                     (the backup row NORMAL_ROM), BOOTLOADERS
//   pgpt              0x0, size = the first partition's start, INVISIBLE
//   one row per GPT partition in table order, start and size copied exactly (SP Flash Tool's
//     "Download Only" refuses a scatter that differs from the phone: "PMT changed")
//   the reserved tail the rows at the table's end whose rule is RESERVED (flashinfo, otp, mrdump,
//                     sdrpmb); such a name earlier in the table is an ordinary row (MODERN.md 1.4)
//   last: sgpt        MT6752 era: from where the GPT's usable area ends (its backup copy lives
//                     there) to the end of the user area; later: the generation's fixed size
// Reserved rows (the tail, and sgpt) carry boundary_check false, is_reserved true and an
// end-relative start 0xFFFF0000 + n: MT6752 era n = distance from the end / block_size, which
// must divide; later n = floor(S / block_size), S = the row's size and the sizes of the reserved
// rows after it, as stock files say (lossy: MODERN.md 1.4).  V2.x files repeat every row in an
// EMMC and a UFS section, each with its regions (EMMC_USER / UFS_LU2 ...) and block_size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/failure.h"
#include "format/scatter.h"
#include "format/scatter_generation.h"
#include "format/scatter_policy.h"
#include "format/table.h"
#include "ops/preloader.h"

namespace mtkfw {

struct LayoutOptions {
    std::string platform;        // "MT6752"
    std::string project;         // "k01q_e"
    uint64_t device_size = 0;    // bytes of the user area
    std::string preloader_file;  // "preloader_k01q_e.bin"
    uint64_t preloader_size = 0;    // 0: the generation's stock size
    bool absolute_tail = false;     // write reserved rows' absolute start instead
    const ScatterGeneration* generation = nullptr;  // nullptr: the MT6752 generation
    std::string storage = "EMMC";   // V1.x: the one storage section ("EMMC", "UFS"); V2.x writes both
    ScatterFormat format = ScatterFormat::txt;
};

// Where a name of the scatter's general block came from (for messages and scripts).
enum class NameSource {
    given,      // the caller's (a command-line option)
    table,      // the partition table's header (gpt-list read system's build.prop)
    preloader,  // the preloader's stock file name, preloader_<project>.bin
    platform,   // nothing said it: the platform in lower case
};

struct ScatterNames {
    std::string platform;  // "MT6752"
    NameSource platform_from = NameSource::given;
    std::string project;   // "k01q_e"
    NameSource project_from = NameSource::given;
};

// The platform and project a scatter says: each the given one, else the table's platform and the
// project in the stock name of the preloader (`preloader`: read from its image by
// read_preloader_image, or said by the caller), else the platform in lower case.  An empty project
// counts as not given.  Throws Failure(usage, Remedy::name_platform) when no platform is known or
// it is not "MTxxxx".
ScatterNames scatter_names(const std::optional<std::string>& platform, const std::optional<std::string>& project,
                           const PartitionTable& table, const std::optional<PreloaderImage>& preloader);

// Throws Failure(invalid_input) on a table no scatter can describe: no partitions, duplicate
// or reserved names (preloader, pgpt, sgpt), overlaps, a partition past the device size, a tail
// the end-relative form cannot express (unless absolute_tail), an absolute start that would
// read as end-relative; with Remedy check_device_size, absolute_tail or device_size_or_absolute_tail
// where the device size or the tail's form is the likely fix.  Notices: partitions no rule names
// (INVISIBLE), unknown contents.
Scatter layout_scatter(const PartitionTable& table, const ScatterPolicy& policy, const LayoutOptions& options,
                       Notices& notices);

}  // namespace mtkfw
