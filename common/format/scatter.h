// SP Flash Tool scatter files (MediaTek "MTK_PLATFORM_CFG"): the data model, a parser for every
// version in the stock samples doc/FORMATS.md "Scatter file" lists (text and XML), and a writer
// that gives each of them back byte for byte.  Pure text in, text out: ops/scatter.h reads the files.
// Sources: the samples doc/FORMATS.md "Scatter file" names: real V1.1.1 (MT6582), V1.1.2 (MT6737M,
// MT6765 Lenovo, MT6762 Redmi 9A: 14 or 16 keys), V1.1.8 (MT6768 biloba, p325a; p325a also as XML),
// V2.1.0 (MT6779, MT6781, MT6833: EMMC and UFS sections, 16 or 17 keys) files, MT6752 V1.1.2 files
// regenerated with MediaTek's ptgen.pl; MODERN.md 1.1, 1.2, 1.6.
//
// The text form is a YAML subset written by MediaTek's generator; we read it line by line:
//   ####...####  #  General Setting  ####...####   banner: 108 '#', comment lines, 108 '#'
//   - general: MTK_PLATFORM_CFG        header: config_version, platform, project and, in
//     info:                              V1.x, storage, boot_channel, block_size (V1.1.8 then
//                                        modem_check, modem: general_extra)
//   ######build_prefix:...             header comments (2023 builds, MODERN.md 1.1), kept
//   ####  #  Layout Setting  ####       V1.x: the layout banner (style.layout_banner)
//   - storage_type: EMMC               V2.x only: banner "#  EMMC Layout Setting", then a section
//     description:                       per storage, whose "- general: MTK_STORAGE_CFG" block gives
//     - general: MTK_STORAGE_CFG         storage, boot_channel, block_size, a blank line, then its
//                                        partitions, indented two more spaces (keys at 4)
//   - partition_index: SYS0            one block per partition, keys below, blank line after
// `info:` and `description:` end with a space in every stock file; the writer writes it.
//
// The XML form (SP Flash Tool v6 packages; MODERN.md 1.6), 2-space indentation:
//   <?xml version="1.0" encoding="utf-8"?>, a blank line, <root>
//   <general name="MTK_PLATFORM_CFG"><config_version name="V1.1.8"> with <platform> <project>
//     <storage> <boot_channel> <block_size> (V1.x) as elements; the p325a sample has no modem keys
//   <partition_index name="SYS0"> holding the other keys as elements, same order as the text
//   V2.x (no real sample, MODERN.md 1.6 [inferred]): <config_version> holds platform and project
//     only; then per storage <storage_type name="EMMC"> holding <general name="MTK_STORAGE_CFG">
//     <storage name="EMMC"><boot_channel/><block_size/></storage></general> and its rows.
//   Read with a strict subset reader (elements, attributes, text, comments, the five entities and
//   character references; no DTD, CDATA or processing instructions): anything else is a Failure
//   naming the line.  Told from text by content: "<?xml" or "<root" first (after a BOM, spaces).
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
//   operation_type      BOOTLOADERS UPDATE INVISIBLE PROTECTED BINREGION RESERVED NEEDRESIZE
//   is_upgradable       true|false (optional: 16- and 17-key rows)
//   empty_boot_needed   true|false (optional: MT6737M's 15 keys, 16- and 17-key rows)
//   combo_partsize_check true|false (optional: 17-key rows, MT6833)
//   reserve             "0x00"                          kept as text
// The writer puts the optional keys, when present, in that order (MODERN.md 1.1), then unknown
// keys (kept in file order), then `reserve`; a missing required key, a repeated key or a line that
// is not `key: value` is a Failure naming the line.
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
// parse_scatter fills every field from the file; a model built in code gets MediaTek's usual form.
struct ScatterStyle {
    ScatterFormat format = ScatterFormat::txt;
    // "\r\n" in the files saved on Windows (MODERN.md 1.1: biloba, MT6781, MT6833), "\n" else;
    // both forms.  A file mixing the two is read as the ending of its first line says (every
    // line's CR is dropped on reading), so it is written back with one ending throughout.
    std::string line_end = "\n";
    // The last row ends "reserve: 0x00" + a blank line (LF files, MT6752 and MODERN.md 1.1) or
    // without one (the CRLF files).  Text only: XML ends "</root>" + line_end.
    bool blank_after_last = true;
    // V1.x banner title; "EMMC Layout Setting" in 2023 builds.  V2.x banners are "<storage> Layout
    // Setting" (MODERN.md 1.2), not kept.  Text only.
    std::string layout_banner = "Layout Setting";
    // "######build_prefix:...", "######timestamp:..." lines (MODERN.md 1.1 lists them among the
    // header keys): comment lines between "- general:" and the first row (or storage_type) that are
    // not in a banner, written after the last header key.  Other stray comments are dropped.  Text only.
    std::vector<std::string> header_comments;
    // The General banner's lines between its two rules, verbatim.  MT6582's V1.1.1 (and an MT6739
    // V1.1.2 template) has "#  General Setting " and "#    ": trailing spaces.  Text only.
    std::vector<std::string> general_banner = {"#", "#  General Setting", "#"};
    // How end-relative physical_start_addr values begin: "0xffff" in MT6582's V1.1.1 sample
    // (linear 0xFFFF00a8, physical 0xffff00a8), "0xFFFF" everywhere else.  Set from the file's
    // first such value.  Both forms.
    std::string physical_tail_prefix = "0xFFFF";

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

// Reads any scatter version above, text or XML (told by content).  Throws Failure(invalid_input)
// naming `source_name` and the line on malformed input; an empty text is an error ("empty scatter
// file").  A UTF-8 BOM is skipped (and not written back).
Scatter parse_scatter(std::string_view text, const std::string& source_name);

// Writes `scatter` in `scatter.style`'s form (text or XML, line ends, last bytes, banners) byte for
// byte as MediaTek's tools do.  config_version V1.x: one storage in the general block, rows without
// a storage_type; V2.x: a section per storages[i], holding the rows whose storage_type equals its
// storage, rows grouped in the order of the sections.  Throws Failure(invalid_input) for a model no
// file can express (another config_version, a row whose storage_type names no section, a value
// with a line break or edge spaces, an unknown key that is also a known one, ...).
std::string write_scatter(const Scatter& scatter);

// `scatter` in the other form, as MediaTek's own pair of files has it (MT6768 p325a, MODERN.md
// 1.1): the XML form has no V1.1.8 modem_check/modem keys, the text form has them ("false",
// "NA", as both V1.1.8 text samples).  Sets style.format; everything else is kept.
Scatter convert_scatter(Scatter scatter, ScatterFormat format);

// One tab-separated line per partition (after a header line naming the columns):
// storage_type index name file_name is_download type linear_start physical_start size region
// storage boundary_check is_reserved operation_type is_upgradable empty_boot_needed
// combo_partsize_check (the last three true, false, or empty when the row has no such key);
// numbers as the writer spells them.  For scripts and tests.
std::string list_scatter(const Scatter& scatter);

// End-relative tail addresses (V1.x): 0xFFFF0000 + blocks.
constexpr uint64_t kScatterEndRelative = 0xFFFF0000;
inline bool scatter_end_relative(uint64_t address) { return (address >> 16) == 0xFFFF; }

}  // namespace mtkfw
