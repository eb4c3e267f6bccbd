// The ways the encoder (ops/sparse_encode.h) reads a partition's blocks into a sparse image
// writer, one pass each: seekable ext4 (bitmaps, then the used runs), seekable every block
// (holes of a regular file skipped), a pipe with ext4 (one forward pass with a look-ahead), a
// pipe every block, and a super (ops/super_map.h) from a file or from a pipe.  Each stops early
// when a planning writer is full.  A pipe's first bytes may already have been read (to see what
// it holds): they are given as `head` and come first.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/failure.h"
#include "base/progress.h"
#include "format/ext4.h"
#include "io/input.h"
#include "io/window.h"
#include "ops/ext4_volume.h"
#include "ops/super_map.h"
#include "ops/sparse_writer.h"

namespace mtkfw {

constexpr size_t kReadBytes = 4u << 20;  // one read of used blocks
constexpr size_t kLookAhead = 32u << 20;  // a pipe's blocks waiting for their bitmap

// What a pass learned, for the report.
struct Produced {
    uint64_t total_blocks = 0, fs_blocks = 0, used_blocks = 0;
};

// `bytes` in whole blocks of `blk_sz`; a tail that does not fill one is a warning Notice.
uint64_t whole_blocks(uint64_t bytes, uint32_t blk_sz, const std::string& what, Notices& notices);

// Reads blocks [first, first+count) of the partition at `base` and hands them to the writer
// (through Window: no copy when they are in the page cache); stops early when a planner is full.
void copy_used(const Input& in, uint64_t base, uint32_t bs, uint64_t first, uint64_t count, Window& window,
               sparse::SparseImageWriter& w, const ProgressMeter& progress);

Produced seekable_ext4(const ext4::Volume& v, uint64_t total_blocks, sparse::SparseImageWriter& w,
                       const ProgressMeter& progress);
Produced seekable_all(const Input& in, uint64_t base, uint32_t bs, uint64_t total_blocks, sparse::SparseImageWriter& w,
                      const ProgressMeter& progress);
Produced stream_all(Input& in, std::optional<uint64_t> size, uint32_t bs, sparse::SparseImageWriter& w,
                    const ProgressMeter& progress, Notices& notices, Bytes head = {});

// A super: the map's runs in ascending order, used ones read (4096-byte blocks at `base` of a
// seekable input), free ones DONT_CARE.  `rows` (map.split_rows(), or null) get the counts.
Produced seekable_super(const Input& in, uint64_t base, const lp::SuperMap& map, sparse::SparseImageWriter& w,
                        const ProgressMeter& progress, std::vector<lp::SplitRow>* rows);
// The same from a pipe, one forward pass, `head` (a whole number of blocks) first.  With
// `to_end`, bytes after the map's last block up to the end of the input are DONT_CARE blocks
// too (a GPT partition longer than the LP block device); without, the input must hold exactly
// map.blocks() blocks from its start.
Produced stream_super(Input& in, Bytes head, const lp::SuperMap& map, bool to_end, sparse::SparseImageWriter& w,
                      const ProgressMeter& progress, Notices& notices, std::vector<lp::SplitRow>* rows);

// A pipe with ext4: the superblock is read at construction (the block size is then known),
// the blocks by run().  Bitmaps usually come before the blocks they describe; blocks whose status
// is not known yet wait in kLookAhead bytes, and when that is full the oldest are taken as used
// (never lost, only stored) with a warning.
class StreamExt4 {
public:
    StreamExt4(Input& in, std::optional<uint64_t> size, Notices& notices, Bytes head = {});
    StreamExt4(StreamExt4&&) noexcept;
    ~StreamExt4();
    const ext4::Superblock& super() const;
    Produced run(sparse::SparseImageWriter& w, const ProgressMeter& progress);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mtkfw
