// A partition (an ext2/3/4 file system, an f2fs, a super holding LP metadata, or any bytes with
// all_blocks) as an Android sparse image: free blocks DONT_CARE, used blocks RAW or FILL,
// covering the whole partition.  A range whose geometry magic says LP (lp::looks_like_super) is
// a super unless all_blocks: its used blocks are those of ops/super_map.h, in 4096-byte blocks.
// A range with the f2fs magic at byte 1024 is f2fs: its used blocks are those of ops/f2fs_map.h
// (4096-byte blocks; the passes: ops/f2fs_source.h, a pipe in one pass without look-ahead).
//
// How the input is read:
//  - seekable (a file, a block device): the superblock, descriptors and bitmaps first, then only
//    the used blocks (all_blocks: every block outside the holes of a regular file);
//  - a pipe: one forward pass.  Bitmaps usually come before the blocks they describe; blocks
//    whose status is not known yet wait in a look-ahead buffer of kLookAhead bytes, and when it
//    is full the oldest are taken as used (never lost, only stored) with a warning.  A super from
//    a pipe: its metadata area is read first (at most 16 MiB), then every block of every extent
//    is used (RAW or FILL; an info Notice says a file would let ext4 free blocks out), the rest
//    DONT_CARE.
// (The passes themselves: ops/block_source.h.)
// How the output is written (the header needs the chunk count, a RAW chunk its length):
//  - a regular file: headers are patched when known;
//  - a pipe from a seekable input: the chunk list is planned in a first pass, then written;
//  - a pipe from a pipe (or a plan of more than kMaxPlanChunks): the image is built in an
//    unlinked scratch file in the scratch folder ($TMPDIR) and copied out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/failure.h"
#include "base/progress.h"
#include "io/input.h"
#include "io/output.h"
#include "format/sparse_format.h"
#include "ops/super_map.h"

namespace mtkfw {

constexpr size_t kMaxPlanChunks = 1u << 20;  // 12 MiB of plan

struct EncodeOptions {
    uint64_t offset = 0;                // where the partition starts in the input
    std::optional<uint64_t> size;       // its length; default: to the end of the input
    bool all_blocks = false;            // not ext4: every block, zero/pattern runs FILL, in
                                        // 4096-byte blocks (down to 512 for an odd size)
    ProgressFn progress;
    std::string scratch_folder = "/tmp";
};

struct EncodeReport {
    sparse::Summary sparse;
    uint64_t partition_bytes = 0;  // bytes covered (total_blks * blk_sz)
    bool file_system = false;      // false with all_blocks
    uint64_t fs_blocks = 0, used_blocks = 0;
    std::string label;             // the file system's, or a super's "LP 10.2, 3 slots, 6 partitions"
    bool super = false;            // LP metadata found: `partitions` holds the split
    std::vector<lp::SplitRow> partitions;
    bool f2fs = false;             // an f2fs: used_blocks counts its metadata areas and current
    uint64_t f2fs_valid_blocks = 0;  // segments too; this, the main-area blocks the SIT marks valid
    std::string method;            // how the header got written: "patched", "planned", "spooled"
};

EncodeReport encode_sparse(Input& in, Output& out, const EncodeOptions& options, Notices& notices);

// A Failure (Remedy::expand_sparse) when `first` (a partition's first bytes, 4 or more) is an
// Android sparse header: an image already sparse (a stock super.img, our own output) is said as
// such rather than as "not ext4" (lpunpack's trap, and an easy slip in a pipeline).
void refuse_sparse(Bytes first, const std::string& name);

}  // namespace mtkfw
