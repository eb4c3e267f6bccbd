// The partition table as the tools exchange it (doc/ARCHITECTURE.md "Contracts"): what gpt-list
// writes with --tsv / --json and what scatter-gen and the pipeline read back.  Offsets and sizes
// are bytes, never sectors.
//
// TSV layout (version 1):
//   # mtkfw-table 1 sector_size=512 dump_size=15634268160 disk_size=15633760768 first_lba=34 last_lba=30534622 disk_guid=... readback_length=15634268160 storage=emmc
//   index<TAB>name<TAB>start<TAB>size<TAB>content<TAB>label<TAB>type<TAB>uuid<TAB>attributes
//   1<TAB>proinfo<TAB>524288<TAB>3145728<TAB>unknown<TAB><TAB>EBD0A0A2-...<TAB>...<TAB>0x0
//
// Line 1, what a reader does with it:
//   "# mtkfw-table 1"  then nothing or a space   "# mtkfw-table N", N not 1 (10 included) - reject
//                                                naming version N; anything else - reject (not a table)
//   sector_size=      512 or 4096               missing or other - reject
//   dump_size=        bytes, "unknown" (a pipe) missing or not a number - reject
//   disk_size=        bytes                     missing or not a number - reject
//   first_lba=        sector                    missing or not a number - reject
//   last_lba=         sector                    missing or not a number - reject
//   disk_guid=        text                      missing: empty
//   storage=          "emmc" (sector_size 512) or "ufs" (4096): MODERN.md 3, UFS LU2 has 4096-byte
//                     LBAs; written for people and scripts, ignored (derived) on reading
//   platform=         "MT6752" when a build.prop of system or vendor names the chip; missing: empty
//   slot=             "a" or "b": the active slot misc's boot control names (ops/ab_slot.h); missing:
//                     empty (no misc, no or a damaged block, no bootable slot); another value: empty
//   label=            "mbr": an MBR/EBR chain (ops/mbr_reader.h; first_lba = the MBR's sector, last_lba
//                     = the dump's last, disk_guid = the MBR's disk id); missing or another word: "gpt"
//   slot_source=      "boot_ctrl" (MediaTek) or "avb_ab" (AOSP AvbABData), format/boot_ctrl.h; with slot
//   metadata=         the GPT partition holding userdata's encryption key ("md_udc": ops/userdata_key.h);
//                     missing: empty (none known)
//   metadata_source=  where that was read: "fstab:super/vendor_a:/etc/fstab.mt6765", or "rule"; with
//                     metadata or userdata_encryption
//   userdata_encryption=  "metadata", "full", "file" or "none", as the fstab's /data line says
//                     (format/fstab.h); missing: empty (no fstab read)
//   readback_length=  bytes SP Flash Tool reads back from 0x0 for the whole user area (format/gpt.h
//                     readback_length); written for people and scripts, ignored (derived) on reading
//   other KEY=VALUE, words without '='          ignored: a later writer may add facts a version-1
//                                               reader does not need
// Line 2: the column names above, exactly - else reject.
// Rows, 9 tab-separated fields (another count - reject):
//   index       1 .. 2^32-1                     else reject; 0 only with label=mbr: a partition no
//                                               MBR/EBR entry lists, placed by a template (gpt-list
//                                               --template: the raw UBOOT, BOOTIMG, ... and MBR, EBRn)
//   name, label text, control characters (tab, newline, backslash) escaped as \xNN
//   start, size bytes; start + size within 64 bits - else reject
//   content     a kind of format/content.h
//   type, uuid  GUID text as written
//   attributes  a number (written 0x hex)
// Numbers: decimal, or 0x and lower-case hex; at most 20 characters, else "bad FIELD"; more than
// 64 bits: "FIELD too large".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mtkfw {

struct PartitionRow {
    uint32_t index = 0;     // GPT entry number, 1-based; label "mbr": Linux's, 0 for a template's raw row
    std::string name;       // UTF-8
    uint64_t start = 0;     // bytes from the start of the dump
    uint64_t size = 0;      // bytes
    std::string content;    // what its first bytes hold: see format/content.h; "unchecked" from a pipe
    std::string label;      // file system label or image name, may be empty
    std::string type_guid;  // upper case, as sfdisk prints it
    std::string uuid;
    uint64_t attributes = 0;

    uint64_t end() const { return start + size; }  // one past the last byte
};

struct PartitionTable {
    uint32_t sector_size = 512;
    std::optional<uint64_t> dump_size;  // unknown for a pipe
    uint64_t disk_size = 0;             // the disk the GPT describes: up to its backup header
    uint64_t first_lba = 0, last_lba = 0;  // usable range, in sectors
    std::string disk_guid;
    std::string platform;  // "MT6752" when build.prop told (see platform.h), else empty
    std::string slot;         // "a" or "b" when misc names the active slot (ops/ab_slot.h), else empty
    std::string slot_source;  // "boot_ctrl" or "avb_ab" with a slot, else empty
    std::string metadata;             // userdata's key partition (ops/userdata_key.h), else empty
    std::string metadata_source;      // "fstab:LABEL:PATH" or "rule", else empty
    std::string userdata_encryption;  // metadata|full|file|none from the fstab, else empty
    std::vector<PartitionRow> rows;
    std::string label = "gpt";  // "gpt", or "mbr" for a legacy MT65xx MBR/EBR chain (ops/mbr_reader.h)
    // Label "mbr": the table holding each entry by its index ("MBR", "EBR1", ...); not in the TSV.
    std::map<uint32_t, std::string> sources;
    // Label "mbr": each table of the chain by name ("MBR", "EBR1", ...) and its byte offset in the
    // dump, in chain order: the 512 bytes firmware folders ship as the MBR and EBRn files.
    std::vector<std::pair<std::string, uint64_t>> tables;

    // Looks a partition up by name (exact match); nullptr when absent.
    const PartitionRow* find(std::string_view name) const;
};

// "emmc" for 512-byte sectors, "ufs" for 4096 (MODERN.md 3: the UFS user LU has 4 KiB LBAs).
std::string storage_of(const PartitionTable& table);

std::string write_tsv(const PartitionTable& table);
// Throws Failure(invalid_input) naming the line when `text` is not a version-1 table as above;
// an empty text is an error ("empty table: did the command before this one fail?").
PartitionTable parse_tsv(std::string_view text, const std::string& source_name);

// sfdisk --json layout (sectors) plus our own byte fields; `device` names the dump (gpt-list: its
// base name) and, with the entry number, each partition's "node".
std::string write_json(const PartitionTable& table, const std::string& device);
// Label "mbr" (write_json calls it): sfdisk --json's dos layout ("label": "dos", "id", nodes,
// start/size in sectors, "type": "83") plus the same byte fields, "table" ("MBR", "EBR1") and
// "name" (empty unless a template named the row); "tables" lists each table's name and offset;
// "raw_partitions" the rows no table lists (index 0: a template's), in bytes, as sfdisk cannot see them.
std::string write_dos_json(const PartitionTable& table, const std::string& device);

// Human table like `parted unit B print`, with a header of disk facts.
std::string write_human(const PartitionTable& table, const std::string& device);

}  // namespace mtkfw
