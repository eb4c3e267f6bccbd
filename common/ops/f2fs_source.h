// The encoder's passes over an f2fs partition (ops/sparse_encode.h): the valid blocks of
// ops/f2fs_map.h RAW or FILL, the invalid main-area blocks DONT_CARE, in 4096-byte blocks.
//  - seekable: the map read first (superblocks, checkpoint area, the current SIT copy), then only
//    the used runs, each announced to the kernel (POSIX_FADV_WILLNEED) before it is copied;
//  - a pipe: one forward pass with no look-ahead: every block before main_blkaddr is used and
//    written as it passes, the map learning the checkpoint and SIT from it on the way; the SIT
//    comes before the main area, so each main-area block's status is known when it arrives.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "base/failure.h"
#include "base/progress.h"
#include "io/input.h"
#include "ops/block_source.h"
#include "ops/f2fs_map.h"
#include "ops/sparse_writer.h"

namespace mtkfw {

Produced seekable_f2fs(const Input& in, uint64_t base, const f2fs::Map& map, uint64_t total_blocks,
                       sparse::SparseImageWriter& w, const ProgressMeter& progress);

// A pipe holding f2fs: the superblocks are read at construction (`head`, the bytes already read,
// come first), the blocks by run().  `size`: the partition's length (else: to the end of the input).
class StreamF2fs {
public:
    StreamF2fs(Input& in, std::optional<uint64_t> size, Notices& notices, Bytes head);
    StreamF2fs(StreamF2fs&&) noexcept;
    ~StreamF2fs();
    const f2fs::Superblock& super() const;
    // The map, once run() is past the metadata areas (for --info: the SIT's valid-block count).
    const std::optional<f2fs::Map>& map() const;
    Produced run(sparse::SparseImageWriter& w, const ProgressMeter& progress);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mtkfw
