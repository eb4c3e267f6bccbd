// An ext2/3/4 file system in a Region of a seekable input (a partition of a dump, an image, a
// logical partition of super made of several extents): the superblock and every group
// descriptor read at open() and parsed by format/ext4.h, blocks read on demand.  Later readers (directories, extents: ops/ext4_file.h) build on read_blocks().
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "format/ext4.h"
#include "io/input.h"
#include "io/region.h"

namespace mtkfw::ext4 {

class Volume {
public:
    // The file system of `region` (its size: the partition's bytes).
    static Volume open(const Region& region);
    // `size`: bytes of the input from `offset` that belong to the partition (one piece).
    static Volume open(const Input& in, uint64_t offset, uint64_t size);
    Volume(Volume&&) = default;

    const Superblock& super() const { return *sb_; }
    const UsedBlocks& used() const { return *used_; }
    const Region& region() const { return *region_; }
    const Input& input() const { return region_->input(); }
    // Where block 0 lies in the input: only for a contiguous region (region().contiguous()).
    uint64_t offset() const { return region_->offset(); }

    void read_blocks(uint64_t first, uint64_t count, void* buf) const;
    // The used-block bits of a group (see UsedBlocks::group_used), reading its bitmap if needed.
    std::vector<uint8_t> group_used(uint32_t group) const;

private:
    Volume() = default;
    std::unique_ptr<Region> region_;  // stable address when moved
    std::unique_ptr<Superblock> sb_;  // stable address for used_
    std::unique_ptr<UsedBlocks> used_;
};

}  // namespace mtkfw::ext4
