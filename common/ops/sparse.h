// The Android sparse image format: headers, a streaming writer and a validating decoder.
//
// Sources: AOSP system/core libsparse/sparse_format.h (layout), libsparse/sparse_read.cpp (what
// simg2img accepts: larger header sizes are skipped, CRC32 is zlib's crc32 over the expanded
// image with DONT_CARE as zeros), doc/FORMATS.md (MediaTek LK refuses CRC32 chunks; Debian's
// libsparse 29 wraps chunks of 4 GiB or more).  All integers little-endian.
//
// File header, 28 bytes:
//   u32 magic          0xED26FF3A             - reject anything else ("not a sparse image")
//   u16 major_version  1                      - reject higher major versions
//   u16 minor_version  0                      - accept higher minor versions
//   u16 file_hdr_sz    28                     - reject < 28; skip the extra bytes of a larger one
//   u16 chunk_hdr_sz   12                     - reject < 12; skip the extra bytes of a larger one
//   u32 blk_sz         4096 (a multiple of 4) - reject 0 or a non-multiple of 4; we also refuse
//                      more than 1 MiB (kMaxBlockSize), to keep memory bounded
//   u32 total_blks     blocks of the expanded image - the chunks must add up to exactly this
//   u32 total_chunks   number of chunk headers      - must match the chunks present
//   u32 image_checksum 0 (none)               - not used by AOSP readers; ignored
// Chunk header, 12 bytes, followed by the chunk's data:
//   u16 chunk_type     0xCAC1 RAW, 0xCAC2 FILL, 0xCAC3 DONT_CARE, 0xCAC4 CRC32 - reject others
//   u16 reserved1      0                      - ignored
//   u32 chunk_sz       blocks of the expanded image this chunk covers (0 for CRC32)
//   u32 total_sz       bytes of header + data: RAW chunk_hdr_sz + chunk_sz*blk_sz, FILL and
//                      CRC32 chunk_hdr_sz + 4, DONT_CARE chunk_hdr_sz - reject a mismatch
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "base/bytes.h"
#include "base/failure.h"
#include "io/input.h"
#include "io/output.h"
#include "base/progress.h"

namespace mtkfw::sparse {

constexpr uint32_t kMagic = 0xED26FF3A;
constexpr uint16_t kMajorVersion = 1;
constexpr uint16_t kMinorVersion = 0;
constexpr uint16_t kFileHeaderSize = 28;
constexpr uint16_t kChunkHeaderSize = 12;
constexpr uint32_t kMaxBlockSize = 1u << 20;

enum class ChunkType : uint16_t { raw = 0xCAC1, fill = 0xCAC2, dont_care = 0xCAC3, crc32 = 0xCAC4 };

// RAW chunks are split at 64 MiB, as current AOSP libsparse does.
constexpr uint64_t kMaxRawChunkBytes = 64ull << 20;
// No chunk may expand to 4 GiB or more (Debian's libsparse 29 computes chunk_sz * blk_sz in
// 32 bits); FILL and DONT_CARE runs are split below that, at 2 GiB.
constexpr uint64_t kMaxChunkBytes = 2ull << 30;

struct FileHeader {
    uint16_t major_version = kMajorVersion;
    uint16_t minor_version = kMinorVersion;
    uint16_t file_hdr_sz = kFileHeaderSize;
    uint16_t chunk_hdr_sz = kChunkHeaderSize;
    uint32_t blk_sz = 4096;
    uint32_t total_blks = 0;
    uint32_t total_chunks = 0;
    uint32_t image_checksum = 0;
};

struct ChunkHeader {
    uint16_t type = 0;
    uint32_t chunk_sz = 0;  // blocks
    uint32_t total_sz = 0;  // bytes, header included
};

// Parses and validates a file header (at least 28 bytes); `what` names the file in errors.
FileHeader parse_file_header(Bytes b, const std::string& what);
// Parses a chunk header (12 bytes) and checks its type and sizes against `file`.  Errors name
// chunk number `index` (from 1) and its byte `offset` in the sparse file.
ChunkHeader parse_chunk_header(Bytes b, const FileHeader& file, uint32_t index, uint64_t offset,
                               const std::string& what);
void encode_file_header(const FileHeader& h, uint8_t out[kFileHeaderSize]);
void encode_chunk_header(const ChunkHeader& h, uint8_t out[kChunkHeaderSize]);

// What an image holds, for --info.
struct Summary {
    uint32_t blk_sz = 0;
    uint64_t total_blocks = 0;
    uint64_t raw_chunks = 0, raw_blocks = 0;
    uint64_t fill_chunks = 0, fill_blocks = 0;
    uint64_t dont_care_chunks = 0, dont_care_blocks = 0;
    uint64_t crc_chunks = 0;
    uint64_t file_bytes = 0;  // size of the sparse file
    uint64_t chunks() const { return raw_chunks + fill_chunks + dont_care_chunks + crc_chunks; }
    // What a flasher writes: RAW and FILL blocks (DONT_CARE is skipped).
    uint64_t written_bytes() const { return (raw_blocks + fill_blocks) * blk_sz; }
};

// True when `block` (blk_sz bytes, a multiple of 4) repeats one 4-byte value; sets `pattern`.
bool is_fill_block(Bytes block, uint32_t* pattern);

// One chunk as planned (no data): enough to write it later from the input.
struct PlannedChunk {
    ChunkType type;
    uint32_t blocks;
    uint32_t fill;  // FILL pattern
};

// Thrown by a planning SparseWriter whose chunk list would grow past its limit.
struct PlanTooLarge {};

// Writes a sparse image from runs of blocks given in order.  Adjacent runs of one kind are
// merged into one chunk (RAW up to 64 MiB, FILL of one pattern and DONT_CARE below 4 GiB);
// CRC32 chunks are never written.
//
// The sparse header needs total_chunks before the first chunk, and a RAW chunk header its
// length before its data, so the writer works in one of two modes:
//  - to a regular-file Output: it writes placeholders and patches them (Output::write_at) as
//    chunks close and in finish();
//  - planning (no Output): it records the chunk list only (12 bytes a chunk, at most
//    `max_plan` chunks, else PlanTooLarge), for write_planned() to write to a pipe later.
class SparseWriter {
public:
    SparseWriter(Output* out, uint32_t blk_sz, size_t max_plan = 0);

    // Whole blocks of data: each block repeating a 4-byte value becomes FILL, others RAW.
    void data(Bytes blocks);
    void raw(Bytes blocks);
    void fill(uint64_t blocks, uint32_t pattern);
    void dont_care(uint64_t blocks);

    uint64_t blocks() const { return blocks_; }
    // Closes the last chunk and writes the file header.  total_blks must fit 32 bits.
    Summary finish();
    const std::vector<PlannedChunk>& plan() const { return plan_; }

private:
    void close_chunk();
    void open_chunk(ChunkType type, uint32_t fill);
    uint64_t max_blocks(ChunkType type) const;
    void whole_blocks(Bytes bytes) const;  // an internal error otherwise

    Output* out_;
    uint32_t blk_sz_;
    size_t max_plan_;
    std::vector<PlannedChunk> plan_;
    Summary summary_;
    uint64_t blocks_ = 0;
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

// Reads a sparse image from `in` (forward only: pipes work), validates every header and size,
// and writes the expanded image to `out`: DONT_CARE as holes when `out` is a regular file.
// CRC32 chunks are checked against the data so far.  Returns what the image held.
Summary decode(Input& in, Output& out, const ProgressFn& progress, Notices* notices);

}  // namespace mtkfw::sparse
