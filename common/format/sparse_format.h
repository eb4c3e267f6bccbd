// The Android sparse image format: the file header and the chunk header, parsed from bytes and
// written back.  Each field is named once, by its offset constant, beside its row: width,
// expected value, and what a reader does when the value differs.
//
// Sources: AOSP system/core libsparse/sparse_format.h (layout), libsparse/sparse_read.cpp (what
// simg2img accepts), doc/FORMATS.md "Android sparse image" (MediaTek LK refuses CRC32 chunks;
// Debian's libsparse 29 wraps chunks of 4 GiB or more).  All integers little-endian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace mtkfw::sparse {

// File header, 28 bytes (kFileHeaderSize).
constexpr size_t kMagicAt = 0x00;         // u32 0xED26FF3A - else "not a sparse image"
constexpr size_t kMajorVersionAt = 0x04;  // u16 1 - reject any other major version
constexpr size_t kMinorVersionAt = 0x06;  // u16 0 - accept higher minor versions
constexpr size_t kFileHdrSzAt = 0x08;     // u16 28 - reject < 28; skip the extra bytes of a larger one
constexpr size_t kChunkHdrSzAt = 0x0A;    // u16 12 - reject < 12; skip the extra bytes of a larger one
constexpr size_t kBlkSzAt = 0x0C;         // u32 4096 - reject 0 or a non-multiple of 4; we also
                                          //     refuse more than kMaxBlockSize (bounded memory)
constexpr size_t kTotalBlksAt = 0x10;     // u32 blocks of the expanded image - the chunks must add
                                          //     up to exactly this
constexpr size_t kTotalChunksAt = 0x14;   // u32 chunk headers that follow - the reader reads this
                                          //     many; bytes after them are ignored with a warning
constexpr size_t kImageChecksumAt = 0x18; // u32 0 (none) - not used by AOSP readers; ignored

// Chunk header, 12 bytes (kChunkHeaderSize), followed by the chunk's data.
constexpr size_t kChunkTypeAt = 0x00;     // u16 RAW 0xCAC1, FILL 0xCAC2, DONT_CARE 0xCAC3,
                                          //     CRC32 0xCAC4 - reject any other type
constexpr size_t kReserved1At = 0x02;     // u16 0 - ignored
constexpr size_t kChunkSzAt = 0x04;       // u32 blocks of the expanded image it covers (CRC32: 0,
                                          //     reject others) - no chunk may run past total_blks
constexpr size_t kTotalSzAt = 0x08;       // u32 bytes of header + data: RAW chunk_hdr_sz +
                                          //     chunk_sz * blk_sz, FILL and CRC32 chunk_hdr_sz + 4,
                                          //     DONT_CARE chunk_hdr_sz - reject a mismatch

constexpr uint32_t kMagic = 0xED26FF3A;
constexpr uint16_t kMajorVersion = 1;
constexpr uint16_t kMinorVersion = 0;
constexpr uint16_t kFileHeaderSize = 28;
constexpr uint16_t kChunkHeaderSize = 12;
constexpr uint32_t kMaxBlockSize = 1u << 20;

enum class ChunkType : uint16_t { raw = 0xCAC1, fill = 0xCAC2, dont_care = 0xCAC3, crc32 = 0xCAC4 };
const char* type_name(ChunkType type);  // "RAW", "FILL", ...

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

// Bytes of data after a chunk header of `type` covering `blocks` blocks.
uint64_t chunk_data_bytes(ChunkType type, uint64_t blocks, uint32_t blk_sz);

// Parses and validates a file header (at least 28 bytes); `what` names the file in errors.
FileHeader parse_file_header(Bytes b, const std::string& what);
// Parses a chunk header (12 bytes) and checks its type and sizes against `file`.  Errors name
// chunk number `index` (from 1) and its byte `offset` in the sparse file.
ChunkHeader parse_chunk_header(Bytes b, const FileHeader& file, uint32_t index, uint64_t offset,
                               const std::string& what);
// "NAME: chunk 3 at byte 4136", the prefix of every error about one chunk.
std::string chunk_where(const std::string& what, uint32_t index, uint64_t offset);

void encode_file_header(const FileHeader& h, uint8_t out[kFileHeaderSize]);
void encode_chunk_header(const ChunkHeader& h, uint8_t out[kChunkHeaderSize]);

// True when `block` (blk_sz bytes, a multiple of 4) repeats one 4-byte value; sets `pattern`.
bool is_fill_block(Bytes block, uint32_t* pattern);

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
    void count(ChunkType type, uint64_t blocks);
};

}  // namespace mtkfw::sparse
