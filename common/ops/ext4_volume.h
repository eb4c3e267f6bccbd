// An ext2/3/4 file system inside a seekable input (a dump, an image) at a byte offset: the
// superblock and every group descriptor read at open() and parsed by format/ext4.h, blocks read
// on demand.  Later readers (directories, extents: ops/ext4_file.h) build on read_blocks().
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "format/ext4.h"
#include "io/input.h"

namespace mtkfw::ext4 {

class Volume {
public:
    // `size`: bytes of the input from `offset` that belong to the partition.
    static Volume open(const Input& in, uint64_t offset, uint64_t size);
    Volume(Volume&&) = default;

    const Superblock& super() const { return *sb_; }
    const UsedBlocks& used() const { return *used_; }
    const Input& input() const { return *in_; }
    uint64_t offset() const { return offset_; }

    void read_blocks(uint64_t first, uint64_t count, void* buf) const;
    // The used-block bits of a group (see UsedBlocks::group_used), reading its bitmap if needed.
    std::vector<uint8_t> group_used(uint32_t group) const;

private:
    Volume() = default;
    const Input* in_ = nullptr;
    uint64_t offset_ = 0;
    std::unique_ptr<Superblock> sb_;  // stable address for used_
    std::unique_ptr<UsedBlocks> used_;
};

}  // namespace mtkfw::ext4
