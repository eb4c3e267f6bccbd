#include "format/sparse_format.h"

#include <cstdio>
#include <cstring>

#include "base/failure.h"

namespace mtkfw::sparse {
namespace {

// The file header's fields after the magic, by width: parse and encode walk the same table.
template <typename T>
struct Field {
    size_t at;
    T FileHeader::*member;
};
constexpr Field<uint16_t> kHeader16[] = {
    {kMajorVersionAt, &FileHeader::major_version},
    {kMinorVersionAt, &FileHeader::minor_version},
    {kFileHdrSzAt, &FileHeader::file_hdr_sz},
    {kChunkHdrSzAt, &FileHeader::chunk_hdr_sz},
};
constexpr Field<uint32_t> kHeader32[] = {
    {kBlkSzAt, &FileHeader::blk_sz},
    {kTotalBlksAt, &FileHeader::total_blks},
    {kTotalChunksAt, &FileHeader::total_chunks},
    {kImageChecksumAt, &FileHeader::image_checksum},
};

}  // namespace

const char* type_name(ChunkType t) {
    switch (t) {
        case ChunkType::raw: return "RAW";
        case ChunkType::fill: return "FILL";
        case ChunkType::dont_care: return "DONT_CARE";
        case ChunkType::crc32: return "CRC32";
    }
    return "?";
}

uint64_t chunk_data_bytes(ChunkType type, uint64_t blocks, uint32_t blk_sz) {
    switch (type) {
        case ChunkType::raw: return blocks * blk_sz;
        case ChunkType::fill:
        case ChunkType::crc32: return 4;
        case ChunkType::dont_care: return 0;
    }
    return 0;
}

void Summary::count(ChunkType type, uint64_t blocks) {
    switch (type) {
        case ChunkType::raw: ++raw_chunks; raw_blocks += blocks; break;
        case ChunkType::fill: ++fill_chunks; fill_blocks += blocks; break;
        case ChunkType::dont_care: ++dont_care_chunks; dont_care_blocks += blocks; break;
        case ChunkType::crc32: ++crc_chunks; break;
    }
    total_blocks += blocks;
}

std::string chunk_where(const std::string& what, uint32_t index, uint64_t offset) {
    return what + ": chunk " + std::to_string(index) + " at byte " + std::to_string(offset);
}

FileHeader parse_file_header(Bytes b, const std::string& what) {
    if (b.size() < kFileHeaderSize) fail_input(what, "not a sparse image: shorter than its 28-byte header");
    if (le32(b, kMagicAt) != kMagic) fail_input(what, "not a sparse image: bad magic (expected 0xed26ff3a)");
    FileHeader h;
    for (const auto& f : kHeader16) h.*f.member = le16(b, f.at);
    for (const auto& f : kHeader32) h.*f.member = le32(b, f.at);
    if (h.major_version != kMajorVersion) {
        fail_input(what, "unsupported sparse major version " + std::to_string(h.major_version) + " (expected 1)");
    }
    if (h.file_hdr_sz < kFileHeaderSize) {
        fail_input(what, "file header size " + std::to_string(h.file_hdr_sz) + " is below 28");
    }
    if (h.chunk_hdr_sz < kChunkHeaderSize) {
        fail_input(what, "chunk header size " + std::to_string(h.chunk_hdr_sz) + " is below 12");
    }
    if (h.blk_sz == 0 || h.blk_sz % 4 != 0) {
        fail_input(what, "block size " + std::to_string(h.blk_sz) + " is not a positive multiple of 4");
    }
    if (h.blk_sz > kMaxBlockSize) {
        fail_input(what, "block size " + std::to_string(h.blk_sz) + " is larger than 1 MiB (not supported)");
    }
    return h;
}

ChunkHeader parse_chunk_header(Bytes b, const FileHeader& file, uint32_t index, uint64_t offset,
                               const std::string& what) {
    ChunkHeader c;
    c.type = le16(b, kChunkTypeAt);
    c.chunk_sz = le32(b, kChunkSzAt);
    c.total_sz = le32(b, kTotalSzAt);
    const std::string where = chunk_where(what, index, offset);
    const ChunkType type = static_cast<ChunkType>(c.type);
    switch (type) {
        case ChunkType::raw:
        case ChunkType::fill:
        case ChunkType::crc32:
        case ChunkType::dont_care: break;
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%04x", c.type);
            fail_input(where, std::string("unknown chunk type ") + hex);
        }
    }
    const uint64_t expected = file.chunk_hdr_sz + chunk_data_bytes(type, c.chunk_sz, file.blk_sz);
    if (c.total_sz != expected) {
        fail_input(where, std::string(type_name(type)) + " chunk of " + std::to_string(c.chunk_sz) + " blocks says " +
                              std::to_string(c.total_sz) + " bytes; expected " + std::to_string(expected));
    }
    if (type == ChunkType::crc32 && c.chunk_sz != 0) {
        fail_input(where, "CRC32 chunk covers " + std::to_string(c.chunk_sz) + " blocks; expected 0");
    }
    return c;
}

void encode_file_header(const FileHeader& h, uint8_t out[kFileHeaderSize]) {
    put_le32(out + kMagicAt, kMagic);
    for (const auto& f : kHeader16) put_le16(out + f.at, h.*f.member);
    for (const auto& f : kHeader32) put_le32(out + f.at, h.*f.member);
}

void encode_chunk_header(const ChunkHeader& h, uint8_t out[kChunkHeaderSize]) {
    put_le16(out + kChunkTypeAt, h.type);
    put_le16(out + kReserved1At, 0);
    put_le32(out + kChunkSzAt, h.chunk_sz);
    put_le32(out + kTotalSzAt, h.total_sz);
}

bool is_fill_block(Bytes block, uint32_t* pattern) {
    // The block repeats its first 4 bytes exactly when it equals itself shifted by 4.
    if (block.size() < 4 || std::memcmp(block.data(), block.data() + 4, block.size() - 4) != 0) return false;
    *pattern = le32(block, 0);
    return true;
}

}  // namespace mtkfw::sparse
