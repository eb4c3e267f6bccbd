// SP Flash Tool scatter files (MediaTek "MTK_PLATFORM_CFG"): the data model, a parser for every
// version in the stock samples doc/FORMATS.md "Scatter file" lists, and a writer for config_version V1.1.x.
// Pure text in, text out: ops/scatter.h reads the files.
// Sources: the samples doc/FORMATS.md "Scatter file" names: real V1.1.1 (MT6582),
// V1.1.2 (MT6737M, with empty_boot_needed), V2.1.0 (MT6779, EMMC and UFS sections) files and
// MT6752 V1.1.2 files regenerated with MediaTek's ptgen.pl; doc/FORMATS.md "Scatter file".
//
// The text is a YAML subset written by MediaTek's generator; we read it line by line:
//   # ...                              comment (108-'#' banners)
//   - general: MTK_PLATFORM_CFG        header: config_version, platform, project and, up to
//     info:                              V1.x, storage, boot_channel, block_size
//   - storage_type: EMMC               V2.x only: a section per storage, whose own
//     description:                       "- general: MTK_STORAGE_CFG" gives storage,
//                                        boot_channel, block_size, then its partitions
//   - partition_index: SYS0            one block per partition, keys below, blank line after
//
// Partition keys (width: text; what a reader does on a mismatch):
//   partition_index     "SYS<n>"                       kept as is
//   partition_name      stock names, upper case before GPT (PRELOADER, EBR1, ...)
//   file_name           file in the firmware folder, "NONE" when not downloaded
//   is_download         true|false                     anything else: Failure
//   type                SV5_BL_BIN NORMAL_ROM EXT4_IMG YAFFS_IMG NONE ...   kept as is
//   linear_start_addr   0x hex (any case) or decimal   not a number: Failure
//   physical_start_addr same (differs from linear only in MBR/EBR-era V1.1.1 files)
//   partition_size      same
//   region              EMMC_BOOT_1 EMMC_USER EMMC_BOOT1_BOOT2 UFS_LU2 ...
//   storage             HW_STORAGE_EMMC HW_STORAGE_UFS
//   boundary_check      true|false
//   is_reserved         true|false (true only for the end-relative tail)
//   operation_type      BOOTLOADERS UPDATE INVISIBLE PROTECTED BINREGION RESERVED
//   is_upgradable       true|false, V2.x only (optional)
//   empty_boot_needed   true|false, some V1.1.2 and V2.x (optional)
//   reserve             "0x00"                          kept as text
// Unknown keys are kept (in order) and written back before `reserve`; a missing required key, a
// repeated key or a line that is not `key: value` is a Failure naming the line.
//
// End-relative addresses: a start of 0xFFFF0000 + n means "n blocks of block_size before the end
// of the user area" (V1.1.x; MT6752: flashinfo 0xFFFF0084, sgpt 0xFFFF0004 with 0x20000 blocks).
// The writer prints them as "0xFFFF" + 4 lower-case hex digits, like MediaTek's generator, so an
// absolute address in that range cannot be written (scatter-gen refuses it).  V2.1.0 files count
// from another origin (MT6779: sgpt 0xFFFF0000, flashinfo 0xFFFF0080 for 16 MiB); the parser keeps
// every value raw and never resolves it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mtkfw {

struct ScatterPartition {
    std::string storage_type;    // V2.x section ("EMMC", "UFS"); empty in V1.x files
    std::string index;           // partition_index, "SYS0"
    std::string name;            // partition_name
    std::string file_name;       // "NONE" when not downloaded
    bool is_download = false;
    std::string type;            // SV5_BL_BIN, NORMAL_ROM, EXT4_IMG, ...
    uint64_t linear_start = 0;   // linear_start_addr (raw: may be end-relative, see above)
    uint64_t physical_start = 0; // physical_start_addr
    uint64_t size = 0;           // partition_size
    std::string region;          // EMMC_BOOT_1, EMMC_USER, ...
    std::string storage;         // HW_STORAGE_EMMC, ...
    bool boundary_check = true;
    bool is_reserved = false;
    std::string operation_type;  // BOOTLOADERS, UPDATE, INVISIBLE, PROTECTED, BINREGION, RESERVED
    std::optional<bool> is_upgradable;
    std::optional<bool> empty_boot_needed;
    std::optional<bool> combo_partsize_check;  // 17-key rows (MT6833, MT6893, 2023 MT6765 builds)
    std::vector<std::pair<std::string, std::string>> extra;  // unknown keys, in file order
    std::string reserve = "0x00";

    bool operator==(const ScatterPartition&) const = default;
};

// The storage facts: V1.x has one (in the general block), V2.x one per storage_type section.
struct ScatterStorage {
    std::string storage;       // "EMMC", "UFS"
    std::string boot_channel;  // "MSDC_0", "UFSHCI_0"
    uint64_t block_size = 0x20000;

    bool operator==(const ScatterStorage&) const = default;
};

// The two forms a scatter comes in: MediaTek's YAML-like text, and XML (SP Flash Tool v6).
enum class ScatterFormat { txt, xml };

// How a file is laid out beyond its fields, so that a stock file is written back byte for byte.
struct ScatterStyle {
    ScatterFormat format = ScatterFormat::txt;
    std::string line_end = "\n";        // "\r\n" in the files saved on Windows (MODERN.md 1.1)
    bool blank_after_last = true;       // the last row ends "reserve: 0x00" + a blank line (LF files)
    std::string layout_banner = "Layout Setting";  // V1.x banner title; "EMMC Layout Setting" in 2023 builds
    std::vector<std::string> header_comments;      // "######build_prefix:...", "######timestamp:..." lines

    bool operator==(const ScatterStyle&) const = default;
};

struct Scatter {
    std::string config_version;  // "V1.1.2"
    std::string platform;        // "MT6752"
    std::string project;         // "k01q_e"
    // General keys after block_size, in file order: V1.1.8's modem_check, modem.
    std::vector<std::pair<std::string, std::string>> general_extra;
    std::vector<ScatterStorage> storages;       // V1.x: exactly one; V2.x: one per storage_type section
    std::vector<ScatterPartition> partitions;  // every row in file order (V2.x: all sections)
    ScatterStyle style;

    bool operator==(const Scatter&) const = default;

    // Rows with is_download true, in scatter order (what fw-checksum and the pipeline need).
    // With several storage sections (V2.x), `storage_type` picks one; empty means all rows.
    std::vector<const ScatterPartition*> downloads(std::string_view storage_type = {}) const;
    // The first row named `name` (in `storage_type`'s section when given); nullptr when absent.
    const ScatterPartition* find(std::string_view name, std::string_view storage_type = {}) const;
};

// Reads any scatter version above.  Throws Failure(invalid_input) naming `source_name` and the
// line on malformed input; an empty text is an error ("empty scatter file").
Scatter parse_scatter(std::string_view text, const std::string& source_name);

// Writes `scatter` (config_version V1.x, one storage) byte for byte as MediaTek's generator
// does: banners, key order, indentation, 0x%x numbers, a blank line after each block, LF.
// Throws Failure(invalid_input) for a V2.x model (several storages).
std::string write_scatter(const Scatter& scatter);

// One tab-separated line per partition (after a header line naming the columns):
// storage_type index name file_name is_download type linear_start physical_start size region
// storage boundary_check is_reserved operation_type; numbers as in the file.  For scripts and tests.
std::string list_scatter(const Scatter& scatter);

// End-relative tail addresses (V1.x): 0xFFFF0000 + blocks.
constexpr uint64_t kScatterEndRelative = 0xFFFF0000;
inline bool scatter_end_relative(uint64_t address) { return (address >> 16) == 0xFFFF; }

}  // namespace mtkfw
