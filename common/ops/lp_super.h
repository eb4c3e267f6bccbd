// A `super` partition inside a dump (or a super image, or a range given by --offset/--size):
// its LP metadata read and checked (format/lp_metadata.h), with the backup geometry and the
// backup copy of each slot used when the primary fails, and its logical partitions as Regions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/failure.h"
#include "format/lp_metadata.h"
#include "io/input.h"
#include "io/region.h"

namespace mtkfw::lp {

struct Super {
    uint64_t offset = 0, size = 0;    // where super lies in the input
    Geometry geometry;
    bool geometry_from_backup = false;
    std::vector<Metadata> slots;      // one per metadata slot, index = slot number
    std::vector<bool> slot_from_backup;
    // End of the metadata area, relative to super: kMetadataOffset + 2 * slots * max.
    uint64_t metadata_end() const;
    // block_devices[0].first_logical_sector * 512 of slot 0.
    uint64_t first_logical_byte() const;
};

// Cheap probe: does super's geometry magic ("gDla") sit at +0x1000 or +0x2000?  Reads 4 bytes
// at each; false for a pipe or a range too short for both geometries.
bool looks_like_super(const Input& in, uint64_t offset, uint64_t size);

// Reads and checks everything (geometry, every slot), bounds-checks every extent against the
// partition (`size` bytes from `offset`), refuses a second block device (retrofit), overlapping
// extents within one slot and extents past super; unknown flags and attributes as Notices.
// A sparse image given instead of raw bytes is said as such.  Failures carry
// Remedy::copy_every_block where the bytes can still be copied whole.
Super read_super(const Input& in, uint64_t offset, uint64_t size, Notices& notices);

// A logical partition as the union over slots sees it: each distinct (name, extents) once.
struct LogicalPartition {
    std::string name, group;
    uint32_t attributes = 0;
    uint64_t size = 0;              // bytes: sum of its extents
    std::vector<Extent> extents;    // in logical order
    std::vector<uint32_t> slots;    // the metadata slots that list it so
};
std::vector<LogicalPartition> logical_partitions(const Super& super);

// The partition's bytes as a Region of the input (super's offset added), named "super/NAME".
Region region_of(const Input& in, const Super& super, const LogicalPartition& partition);

}  // namespace mtkfw::lp
