// Android dynamic partitions: the LP metadata at the start of a `super` partition (geometry,
// header, partition/extent/group/block-device tables), bytes in, structs out.
//
// Source: AOSP system/core fs_mgr/liblp include/liblp/metadata_format.h (v10.0-10.2), as in
// LonelyFool/lpunpack_and_lpmake @ 7ec860c lib/include/liblp/metadata_format.h and
// lib/liblp/utility.cpp (offsets); doc/FORMATS.md "LP metadata".  All integers little-endian.
//
// TODO(lp helper): every field read is an offset constant below on its documentation row
// (width, expected value, what a reader does on a mismatch), as format/ext4.h does.
#pragma once

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
