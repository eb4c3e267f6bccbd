// Android dynamic partitions: the LP metadata at the start of a `super` partition (geometry,
// header, partition/extent/group/block-device tables), bytes in, structs out.
//
// Source: AOSP system/core fs_mgr/liblp include/liblp/metadata_format.h (v10.0-10.2), as in
// LonelyFool/lpunpack_and_lpmake @ 7ec860c lib/include/liblp/metadata_format.h and
// lib/liblp/utility.cpp (offsets); doc/FORMATS.md "LP metadata".  All integers little-endian.
//
// Every field the code reads is an offset constant below, on the row that documents it: width,
// expected value, what a reader does on a mismatch (liblp's own rule is LonelyFool/
// lpunpack_and_lpmake @ 7ec860c lib/liblp/reader.cpp ParseGeometry, ReadMetadataHeader,
// ValidateTableBounds, ParseMetadata; where we differ it says so).  Every refusal is
// Failure(invalid_input) naming `what`; ops/lp_super.h tries the backup copy on any of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace mtkfw::lp {

// Where things are, relative to the start of super (utility.cpp GetPrimaryGeometryOffset ...).
constexpr uint64_t kReservedBytes = 4096;        // zero; lpmake writes it as FILL
constexpr uint64_t kGeometryOffset = 0x1000;     // primary geometry, padded to 4096
constexpr uint64_t kBackupGeometryOffset = 0x2000;
constexpr uint64_t kGeometrySize = 4096;
constexpr uint64_t kMetadataOffset = 0x3000;     // primary slot s at + s * metadata_max_size,
                                                 // backup slot s at + (slots + s) * max
constexpr uint64_t kSectorSize = 512;            // extents and first_logical_sector count these

constexpr uint32_t kTargetLinear = 0;
constexpr uint32_t kTargetZero = 1;

// LpMetadataGeometry (52 bytes at kGeometryOffset, the rest of its 4 KiB zero and unread).
constexpr uint32_t kGeometryMagic = 0x616c4467;  // bytes 67 44 6c 61 "gDla"
constexpr size_t kGeometryStructSize = 52;
constexpr size_t kGMagicAt = 0;               // u32 kGeometryMagic - else "no LP geometry"
constexpr size_t kGStructSizeAt = 4;          // u32 52 - else refused (liblp: refused)
constexpr size_t kGChecksumAt = 8;            // u8[32] SHA-256 of the 52 bytes, this field zero - else refused
constexpr size_t kGMetadataMaxSizeAt = 40;    // u32 a non-zero multiple of 512,
                                              //     <= kMaxMetadataSize - else refused (liblp:
                                              //     multiple of 512 only; the bound keeps memory small)
constexpr size_t kGMetadataSlotCountAt = 44;  // u32 1..kMaxSlots - else refused (liblp: > 0 only)
constexpr size_t kGLogicalBlockSizeAt = 48;   // u32 shown only (4096 as lpmake writes); liblp ignores it
constexpr uint32_t kMaxMetadataSize = 1u << 20;  // lpmake builds use 65536; 1 MiB is generous
constexpr uint32_t kMaxSlots = 16;               // AOSP uses 2 or 3

// LpMetadataHeader: 128 bytes (10.0, 10.1) or 256 (10.2) at the start of a metadata copy.
constexpr uint32_t kHeaderMagic = 0x414C5030;  // bytes "0PLA"
constexpr uint16_t kMajorVersion = 10;
constexpr uint16_t kMinorVersionMax = 2;
constexpr uint16_t kMinorForUpdatedAttr = 1;    // UPDATED and DISABLED attributes from 10.1
constexpr uint16_t kMinorForExpandedHeader = 2;  // the 256-byte header from 10.2
constexpr uint32_t kHeaderSizeV1_0 = 128, kHeaderSizeV1_2 = 256;
constexpr size_t kHMagicAt = 0;            // u32 kHeaderMagic - else refused
constexpr size_t kHMajorAt = 4;            // u16 10 - else refused ("version X.Y")
constexpr size_t kHMinorAt = 6;            // u16 0..2 - else refused
constexpr size_t kHHeaderSizeAt = 8;       // u32 128 for minor < 2, 256 for minor 2 - else refused
constexpr size_t kHHeaderChecksumAt = 12;  // u8[32] SHA-256 of header_size bytes, this field zero - else refused
constexpr size_t kHTablesSizeAt = 44;      // u32 <= metadata_max_size - header_size - else refused
                                           //     (liblp: <= max; the tables must fit the copy too)
constexpr size_t kHTablesChecksumAt = 48;  // u8[32] SHA-256 of the tables_size bytes after the header - else refused
constexpr size_t kHPartitionsAt = 80;      // descriptor {u32 offset, u32 num_entries, u32 entry_size}:
constexpr size_t kHExtentsAt = 92;         //     offset (from the end of the header) + num_entries *
constexpr size_t kHGroupsAt = 104;         //     entry_size within tables_size, in 64 bits - else
constexpr size_t kHBlockDevicesAt = 116;   //     "table past tables_size"; entry_size as below
constexpr size_t kHFlagsAt = 128;          // u32 10.2 only: VIRTUAL_AB_DEVICE 1; other bits reported
                                           //     as unknown (ops/lp_super.h), liblp ignores them
constexpr size_t kDescOffsetAt = 0, kDescNumEntriesAt = 4, kDescEntrySizeAt = 8;
constexpr uint32_t kHeaderFlagVirtualAb = 0x1;

// LpMetadataPartition: entry_size must be 52 (liblp: the same).
constexpr size_t kPartitionEntrySize = 52;
constexpr size_t kPNameAt = 0, kNameWidth = 36;  // char[36] NUL-padded - shown as is
constexpr size_t kPAttributesAt = 36;     // u32 kAttr* below; bits beyond the version's mask are
                                          //     reported (liblp refuses them)
constexpr size_t kPFirstExtentAt = 40;    // u32 } first + num within the extent table, in 64 bits
constexpr size_t kPNumExtentsAt = 44;     // u32 }     - else refused
constexpr size_t kPGroupIndexAt = 48;     // u32 < groups.num_entries - else refused
constexpr uint32_t kAttrReadonly = 1, kAttrSlotSuffixed = 2, kAttrUpdated = 4, kAttrDisabled = 8;
constexpr uint32_t kAttrMaskV0 = kAttrReadonly | kAttrSlotSuffixed, kAttrMaskV1 = kAttrUpdated | kAttrDisabled;

// LpMetadataExtent: entry_size must be 24 (liblp: the same).
constexpr size_t kExtentEntrySize = 24;
constexpr size_t kENumSectorsAt = 0;     // u64 512-byte sectors; sum per partition within 64 bits of bytes
constexpr size_t kETargetTypeAt = 8;     // u32 LINEAR 0 or ZERO 1 - else refused (liblp: not checked)
constexpr size_t kETargetDataAt = 12;    // u64 LINEAR: first sector on the block device (bounds:
                                         //     ops/lp_super.h, against super)
constexpr size_t kETargetSourceAt = 20;  // u32 LINEAR: < block_devices.num_entries - else refused

// LpMetadataPartitionGroup: entry_size must be 48 (liblp: the same).
constexpr size_t kGroupEntrySize = 48;
constexpr size_t kGrNameAt = 0;          // char[36] NUL-padded
constexpr size_t kGrFlagsAt = 36;        // u32 SLOT_SUFFIXED 1; other bits reported (liblp ignores them)
constexpr size_t kGrMaximumSizeAt = 40;  // u64 bytes, 0 unlimited - shown only
constexpr uint32_t kGroupSlotSuffixed = 1;

// LpMetadataBlockDevice: entry_size at least 64 (liblp does not check it; it reads 64).
constexpr size_t kBlockDeviceEntrySize = 64;
constexpr size_t kBFirstLogicalSectorAt = 0;  // u64 device 0: its byte offset must not be below the
                                              //     metadata area (4 KiB + 2 * (4 KiB + slots * max))
                                              //     - else refused (liblp: the same)
constexpr size_t kBAlignmentAt = 8;           // u32 shown only
constexpr size_t kBAlignmentOffsetAt = 12;    // u32 shown only
constexpr size_t kBSizeAt = 16;               // u64 bytes - checked against the partition by ops/lp_super.h
constexpr size_t kBPartitionNameAt = 24;      // char[36] "super" on a launch device
constexpr size_t kBFlagsAt = 60;              // u32 SLOT_SUFFIXED 1 (retrofit); other bits reported
constexpr uint32_t kBlockDeviceSlotSuffixed = 1;
// The table needs at least one block device (liblp: "does not specify a super device").

// 4 KiB reserved + 2 geometries + 2 copies of every slot (utility.cpp GetTotalMetadataSize).
uint64_t metadata_area_size(uint32_t max_size, uint32_t slot_count);

struct Geometry {
    uint32_t metadata_max_size = 0;
    uint32_t metadata_slot_count = 0;
    uint32_t logical_block_size = 0;
};

struct Extent {
    uint64_t num_sectors = 0;
    uint32_t target_type = kTargetLinear;
    uint64_t target_data = 0;    // LINEAR: first physical sector on block device target_source
    uint32_t target_source = 0;  // index into block_devices
};

struct Partition {
    std::string name;
    uint32_t attributes = 0;  // READONLY 1, SLOT_SUFFIXED 2, UPDATED 4, DISABLED 8
    uint32_t first_extent_index = 0;
    uint32_t num_extents = 0;
    uint32_t group_index = 0;
};

struct Group {
    std::string name;
    uint32_t flags = 0;  // SLOT_SUFFIXED 1
    uint64_t maximum_size = 0;  // 0: unlimited
};

struct BlockDevice {
    uint64_t first_logical_sector = 0;
    uint32_t alignment = 0, alignment_offset = 0;
    uint64_t size = 0;
    std::string partition_name;
    uint32_t flags = 0;
};

struct Metadata {
    uint16_t major_version = 0, minor_version = 0;
    uint32_t header_size = 0;  // 128 (10.0, 10.1) or 256 (10.2)
    uint32_t flags = 0;        // 10.2: VIRTUAL_AB_DEVICE 1
    uint32_t tables_size = 0;  // bytes of tables after the header
    std::vector<Partition> partitions;
    std::vector<Extent> extents;
    std::vector<Group> groups;
    std::vector<BlockDevice> block_devices;
};

// The geometry in `bytes` (at least 52): Failure(invalid_input) naming `what` on a bad magic,
// struct_size, SHA-256, or values liblp would refuse (max size not a multiple of 512, ...).
Geometry parse_geometry(Bytes bytes, const std::string& what);

// One metadata slot copy in `bytes` (metadata_max_size of them): header checks (magic, major
// 10, minor <= 2, header_size, SHA-256 of header and tables), then every table's offset, count
// and entry size bounds-checked before use, every index (extents of a partition, its group,
// an extent's block device) checked.  Failure(invalid_input) naming `what` otherwise.
Metadata parse_metadata(Bytes bytes, const Geometry& geometry, const std::string& what);

}  // namespace mtkfw::lp
