#include "format/lp_metadata.h"

#include <algorithm>
#include <cstring>

#include "base/evp_digest.h"
#include "base/failure.h"
#include "base/text.h"

namespace mtkfw::lp {
namespace {

// SHA-256 of `b` with the 32 bytes at `zero_at` read as zero (the field that holds the sum).
std::vector<uint8_t> sha256_zeroed(Bytes b, size_t zero_at) {
    EvpDigest d(EvpDigest::Kind::sha256);
    static constexpr uint8_t kZeros[32] = {};
    d.update(b.first(zero_at));
    d.update(Bytes(kZeros, sizeof kZeros));
    d.update(b.subspan(zero_at + sizeof kZeros));
    return d.final();
}

bool sum_matches(const std::vector<uint8_t>& sum, Bytes b, size_t at) {
    return sum.size() == 32 && std::memcmp(sum.data(), b.data() + at, 32) == 0;
}

struct Table {
    uint32_t offset, num_entries, entry_size;
};

// A table descriptor, its bounds checked against tables_size (reader.cpp ValidateTableBounds)
// and its entry size against the struct we read.
Table table_at(Bytes header, size_t at, uint32_t tables_size, size_t min_entry, bool exact, const char* name,
               const std::string& what) {
    const Table t{le32(header, at + kDescOffsetAt), le32(header, at + kDescNumEntriesAt),
                  le32(header, at + kDescEntrySizeAt)};
    if (t.num_entries > 0 && (exact ? t.entry_size != min_entry : t.entry_size < min_entry)) {
        fail_input(what, std::string(name) + " table entry size " + std::to_string(t.entry_size) + " (liblp's is " +
                             std::to_string(min_entry) + ")");
    }
    const uint64_t bytes = static_cast<uint64_t>(t.num_entries) * t.entry_size;
    if (t.offset > tables_size || bytes > tables_size - t.offset) {
        fail_input(what, std::string(name) + " table (offset " + std::to_string(t.offset) + ", " +
                             std::to_string(t.num_entries) + " entries of " + std::to_string(t.entry_size) +
                             " bytes) past tables_size " + std::to_string(tables_size));
    }
    return t;
}

}  // namespace

uint64_t metadata_area_size(uint32_t max_size, uint32_t slot_count) {
    return kReservedBytes + 2 * (kGeometrySize + static_cast<uint64_t>(max_size) * slot_count);
}

Geometry parse_geometry(Bytes b, const std::string& what) {
    if (b.size() < kGeometryStructSize) fail_input(what, "LP geometry cut short");
    if (le32(b, kGMagicAt) != kGeometryMagic) fail_input(what, "no LP geometry (magic \"gDla\" missing)");
    const uint32_t struct_size = le32(b, kGStructSizeAt);
    if (struct_size != kGeometryStructSize) {
        fail_input(what, "LP geometry struct_size " + std::to_string(struct_size) + " (expected 52)");
    }
    const Bytes g = b.first(kGeometryStructSize);
    if (!sum_matches(sha256_zeroed(g, kGChecksumAt), g, kGChecksumAt)) {
        fail_input(what, "LP geometry SHA-256 mismatch (damaged)");
    }
    Geometry geo;
    geo.metadata_max_size = le32(g, kGMetadataMaxSizeAt);
    geo.metadata_slot_count = le32(g, kGMetadataSlotCountAt);
    geo.logical_block_size = le32(g, kGLogicalBlockSizeAt);
    if (geo.metadata_max_size == 0 || geo.metadata_max_size % kSectorSize != 0 ||
        geo.metadata_max_size > kMaxMetadataSize) {
        fail_input(what, "LP metadata_max_size " + std::to_string(geo.metadata_max_size) +
                             " (a non-zero multiple of 512, at most " + std::to_string(kMaxMetadataSize) + ")");
    }
    if (geo.metadata_slot_count == 0 || geo.metadata_slot_count > kMaxSlots) {
        fail_input(what, "LP metadata_slot_count " + std::to_string(geo.metadata_slot_count) + " (1 to " +
                             std::to_string(kMaxSlots) + ")");
    }
    return geo;
}

Metadata parse_metadata(Bytes b, const Geometry& geometry, const std::string& what) {
    if (b.size() < kHeaderSizeV1_0) fail_input(what, "LP metadata header cut short");
    if (le32(b, kHMagicAt) != kHeaderMagic) fail_input(what, "no LP metadata header (magic \"0PLA\" missing)");
    Metadata m;
    m.major_version = le16(b, kHMajorAt);
    m.minor_version = le16(b, kHMinorAt);
    const std::string version = std::to_string(m.major_version) + "." + std::to_string(m.minor_version);
    if (m.major_version != kMajorVersion || m.minor_version > kMinorVersionMax) {
        fail_input(what, "LP metadata version " + version + " (10.0 to 10.2 are known)");
    }
    m.header_size = le32(b, kHHeaderSizeAt);
    const uint32_t expected = m.minor_version >= kMinorForExpandedHeader ? kHeaderSizeV1_2 : kHeaderSizeV1_0;
    if (m.header_size != expected) {
        fail_input(what, "LP header_size " + std::to_string(m.header_size) + " for version " + version +
                             " (expected " + std::to_string(expected) + ")");
    }
    const size_t limit = std::min<size_t>(b.size(), geometry.metadata_max_size);
    if (m.header_size > limit) fail_input(what, "LP metadata header cut short");
    const Bytes header = b.first(m.header_size);
    if (!sum_matches(sha256_zeroed(header, kHHeaderChecksumAt), header, kHHeaderChecksumAt)) {
        fail_input(what, "LP metadata header SHA-256 mismatch (damaged)");
    }
    const uint32_t tables_size = le32(header, kHTablesSizeAt);
    if (tables_size > limit - m.header_size) {
        fail_input(what, "LP tables_size " + std::to_string(tables_size) + " past the metadata copy (" +
                             std::to_string(limit - m.header_size) + " bytes after the header)");
    }
    const Bytes tables = b.subspan(m.header_size, tables_size);
    EvpDigest d(EvpDigest::Kind::sha256);
    d.update(tables);
    if (!sum_matches(d.final(), header, kHTablesChecksumAt)) fail_input(what, "LP tables SHA-256 mismatch (damaged)");
    if (m.header_size >= kHFlagsAt + 4) m.flags = le32(header, kHFlagsAt);
    m.tables_size = tables_size;

    const Table parts = table_at(header, kHPartitionsAt, tables_size, kPartitionEntrySize, true, "partition", what);
    const Table exts = table_at(header, kHExtentsAt, tables_size, kExtentEntrySize, true, "extent", what);
    const Table groups = table_at(header, kHGroupsAt, tables_size, kGroupEntrySize, true, "group", what);
    const Table devs =
        table_at(header, kHBlockDevicesAt, tables_size, kBlockDeviceEntrySize, false, "block device", what);
    // Each count is bounded by tables_size (<= 1 MiB) over an entry size of at least 24.
    for (uint32_t i = 0; i < parts.num_entries; ++i) {
        const Bytes e = tables.subspan(parts.offset + static_cast<size_t>(i) * parts.entry_size, kPartitionEntrySize);
        Partition p;
        p.name = ascii_field(e, kPNameAt, kNameWidth);
        p.attributes = le32(e, kPAttributesAt);
        p.first_extent_index = le32(e, kPFirstExtentAt);
        p.num_extents = le32(e, kPNumExtentsAt);
        p.group_index = le32(e, kPGroupIndexAt);
        const std::string who = "partition " + std::to_string(i) + " (" + escape_controls(p.name) + ")";
        if (static_cast<uint64_t>(p.first_extent_index) + p.num_extents > exts.num_entries) {
            fail_input(what, who + ": extents " + std::to_string(p.first_extent_index) + "+" +
                                 std::to_string(p.num_extents) + " past the extent table (" +
                                 std::to_string(exts.num_entries) + " entries)");
        }
        if (p.group_index >= groups.num_entries) {
            fail_input(what, who + ": group index " + std::to_string(p.group_index) + " past the group table (" +
                                 std::to_string(groups.num_entries) + " entries)");
        }
        m.partitions.push_back(std::move(p));
    }
    for (uint32_t i = 0; i < exts.num_entries; ++i) {
        const Bytes e = tables.subspan(exts.offset + static_cast<size_t>(i) * exts.entry_size, kExtentEntrySize);
        Extent x;
        x.num_sectors = le64(e, kENumSectorsAt);
        x.target_type = le32(e, kETargetTypeAt);
        x.target_data = le64(e, kETargetDataAt);
        x.target_source = le32(e, kETargetSourceAt);
        const std::string who = "extent " + std::to_string(i);
        if (x.target_type != kTargetLinear && x.target_type != kTargetZero) {
            fail_input(what, who + ": target type " + std::to_string(x.target_type) + " (LINEAR 0 or ZERO 1)");
        }
        if (x.target_type == kTargetLinear && x.target_source >= devs.num_entries) {
            fail_input(what, who + ": block device " + std::to_string(x.target_source) + " past the table (" +
                                 std::to_string(devs.num_entries) + " entries)");
        }
        if (x.num_sectors > UINT64_MAX / kSectorSize) fail_input(what, who + ": size past 2^64 bytes");
        m.extents.push_back(x);
    }
    for (uint32_t i = 0; i < groups.num_entries; ++i) {
        const Bytes e = tables.subspan(groups.offset + static_cast<size_t>(i) * groups.entry_size, kGroupEntrySize);
        m.groups.push_back({ascii_field(e, kGrNameAt, kNameWidth), le32(e, kGrFlagsAt), le64(e, kGrMaximumSizeAt)});
    }
    for (uint32_t i = 0; i < devs.num_entries; ++i) {
        const Bytes e =
            tables.subspan(devs.offset + static_cast<size_t>(i) * devs.entry_size, kBlockDeviceEntrySize);
        BlockDevice dev;
        dev.first_logical_sector = le64(e, kBFirstLogicalSectorAt);
        dev.alignment = le32(e, kBAlignmentAt);
        dev.alignment_offset = le32(e, kBAlignmentOffsetAt);
        dev.size = le64(e, kBSizeAt);
        dev.partition_name = ascii_field(e, kBPartitionNameAt, kNameWidth);
        dev.flags = le32(e, kBFlagsAt);
        m.block_devices.push_back(std::move(dev));
    }
    if (m.block_devices.empty()) fail_input(what, "LP metadata names no block device (no super device)");
    const uint64_t area = metadata_area_size(geometry.metadata_max_size, geometry.metadata_slot_count);
    const uint64_t first = m.block_devices[0].first_logical_sector;
    if (first > UINT64_MAX / kSectorSize || first * kSectorSize < area) {
        fail_input(what, "LP first_logical_sector " + std::to_string(first) + " inside the metadata area (" +
                             std::to_string(area) + " bytes)");
    }
    for (const Partition& p : m.partitions) {
        uint64_t bytes = 0;
        for (uint32_t k = 0; k < p.num_extents; ++k) {
            const uint64_t n = m.extents[p.first_extent_index + k].num_sectors * kSectorSize;
            if (n > UINT64_MAX - bytes) fail_input(what, "partition " + escape_controls(p.name) + ": size past 2^64 bytes");
            bytes += n;
        }
    }
    return m;
}

}  // namespace mtkfw::lp
