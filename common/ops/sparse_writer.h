// Writing Android sparse images (format/sparse_format.h) from runs of blocks given in order.
// Adjacent runs of one kind are merged into one chunk (RAW up to 64 MiB, FILL of one pattern and
// DONT_CARE below 4 GiB); CRC32 chunks are never written.
//
// The file header needs total_chunks before the first chunk, and a RAW chunk header its length
// before its data, so a writer works in one of two ways:
//  - to a regular-file Output: it writes placeholders and patches them (Output::write_at) as
//    chunks close and in finish();
//  - planning (no Output): it records the chunk list only (12 bytes a chunk, at most
//    `max_chunks`), for write_planned() to write to a pipe later.  A plan that would grow past
//    its limit stops: full() turns true and every later run is dropped, so the producer can stop
//    and the caller build the image another way.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "base/bytes.h"
#include "format/sparse_format.h"
#include "io/output.h"

namespace mtkfw::sparse {

// One chunk as planned (no data): enough to write it later from the input.
struct PlannedChunk {
    ChunkType type;
    uint32_t blocks;
    uint32_t fill;  // FILL pattern
};

class SparseImageWriter {
public:
    // Writes to `out`, a regular file (headers are patched).
    SparseImageWriter(Output& out, uint32_t blk_sz);
    // Plans at most `max_chunks` chunks, writes nothing.
    static SparseImageWriter planner(uint32_t blk_sz, size_t max_chunks);

    // Whole blocks of data: each block repeating a 4-byte value becomes FILL, others RAW.
    void data(Bytes blocks);
    void raw(Bytes blocks);
    void fill(uint64_t blocks, uint32_t pattern);
    void dont_care(uint64_t blocks);

    // A planner whose plan reached max_chunks: nothing more is recorded.
    bool full() const { return full_; }
    uint64_t blocks() const { return blocks_; }
    // Blocks given to chunks of `type` so far (the open chunk included): a caller tells apart
    // what one data() call became, RAW or FILL.
    uint64_t blocks_of(ChunkType type) const { return typed_[static_cast<size_t>(type) & 3]; }
    // Closes the last chunk and writes the file header.  total_blks must fit 32 bits.
    Summary finish();
    const std::vector<PlannedChunk>& plan() const { return plan_; }

private:
    SparseImageWriter(Output* out, uint32_t blk_sz, size_t max_chunks);
    void run(ChunkType type, uint64_t blocks, uint32_t pattern);
    bool continues(ChunkType type, uint32_t pattern) const;
    void close_chunk();
    void open_chunk(ChunkType type, uint32_t fill);
    uint64_t max_blocks(ChunkType type) const;
    void whole_blocks(Bytes bytes) const;  // an internal error otherwise

    Output* out_;  // null when planning
    uint32_t blk_sz_;
    size_t max_chunks_;
    std::vector<PlannedChunk> plan_;
    Summary summary_;
    uint64_t blocks_ = 0;
    uint64_t typed_[4] = {};  // by ChunkType's low two bits
    bool full_ = false;
    bool open_ = false;
    ChunkType type_ = ChunkType::dont_care;
    uint32_t fill_ = 0;
    uint64_t chunk_blocks_ = 0;
    uint64_t chunk_header_at_ = 0;
};

// Writes a planned image to `out` (any kind: a pipe too).  `copy_raw(first_block, blocks)` must
// write the RAW data of the blocks [first_block, first_block + blocks) to `out`.
Summary write_planned(Output& out, uint32_t blk_sz, const std::vector<PlannedChunk>& plan,
                      const std::function<void(uint64_t, uint64_t)>& copy_raw);

}  // namespace mtkfw::sparse
