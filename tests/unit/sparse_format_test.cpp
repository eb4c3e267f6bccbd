// The Android sparse headers (format/sparse_format.h) on bytes built here: a header as
// img2simg writes it, then one field changed at a time.
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/sparse_format.h"

using mtkfw::Exit;
using mtkfw::put_le16;
using mtkfw::put_le32;
namespace sparse = mtkfw::sparse;

namespace {
// 4096-byte blocks, 100 blocks in 3 chunks.
Buffer file_header() {
    Buffer b(28, 0);
    put_le32(&b[0], 0xED26FF3A);
    put_le16(&b[4], 1);
    put_le16(&b[8], 28);
    put_le16(&b[10], 12);
    put_le32(&b[12], 4096);
    put_le32(&b[16], 100);
    put_le32(&b[20], 3);
    return b;
}

Buffer chunk_header(uint16_t type, uint32_t blocks, uint32_t total) {
    Buffer b(12, 0);
    put_le16(&b[0], type);
    put_le32(&b[4], blocks);
    put_le32(&b[8], total);
    return b;
}
}  // namespace

TEST(sparse_file_header_round_trips) {
    const sparse::FileHeader h = sparse::parse_file_header(file_header(), "x");
    CHECK_EQ(h.blk_sz, 4096u);
    CHECK_EQ(h.total_blks, 100u);
    CHECK_EQ(h.total_chunks, 3u);
    uint8_t again[sparse::kFileHeaderSize];
    sparse::encode_file_header(h, again);
    CHECK(Buffer(again, again + sizeof again) == file_header());
}

TEST(sparse_file_header_rejects_what_libsparse_rejects) {
    auto rejects = [](auto edit, const char* why) {
        CHECK_THROWS(sparse::parse_file_header(edited(file_header(), edit), "x"), Exit::invalid_input, why);
    };
    rejects([](Buffer& b) { b[0] = 0; }, "x: not a sparse image: bad magic");
    rejects([](Buffer& b) { put_le16(&b[4], 2); }, "unsupported sparse major version 2");
    rejects([](Buffer& b) { put_le16(&b[8], 27); }, "file header size 27 is below 28");
    rejects([](Buffer& b) { put_le16(&b[10], 11); }, "chunk header size 11 is below 12");
    rejects([](Buffer& b) { put_le32(&b[12], 4098); }, "block size 4098 is not a positive multiple of 4");
    CHECK_THROWS(sparse::parse_file_header(Buffer(27, 0), "x"), Exit::invalid_input, "shorter than its 28-byte header");
}

TEST(sparse_file_header_accepts_a_higher_minor_version_and_larger_header_sizes) {
    Buffer b = file_header();
    put_le16(&b[6], 5);
    put_le16(&b[8], 32);
    put_le16(&b[10], 16);
    const sparse::FileHeader h = sparse::parse_file_header(b, "x");
    CHECK_EQ(h.file_hdr_sz, uint16_t{32});
    CHECK_EQ(h.chunk_hdr_sz, uint16_t{16});
}

TEST(sparse_chunk_header_sizes_must_match_their_type) {
    const sparse::FileHeader f = sparse::parse_file_header(file_header(), "x");
    CHECK_EQ(sparse::parse_chunk_header(chunk_header(0xCAC1, 2, 12 + 8192), f, 1, 28, "x").chunk_sz, 2u);
    CHECK_EQ(sparse::parse_chunk_header(chunk_header(0xCAC2, 9, 16), f, 1, 28, "x").chunk_sz, 9u);
    CHECK_EQ(sparse::parse_chunk_header(chunk_header(0xCAC3, 9, 12), f, 1, 28, "x").chunk_sz, 9u);
    CHECK_THROWS(sparse::parse_chunk_header(chunk_header(0xCAC1, 2, 12 + 4096), f, 2, 8232, "x"), Exit::invalid_input,
                 "x: chunk 2 at byte 8232: RAW chunk of 2 blocks says 4108 bytes; expected 8204");
    CHECK_THROWS(sparse::parse_chunk_header(chunk_header(0xCAC9, 1, 12), f, 1, 28, "x"), Exit::invalid_input,
                 "chunk 1 at byte 28: unknown chunk type 0xcac9");
    CHECK_THROWS(sparse::parse_chunk_header(chunk_header(0xCAC4, 1, 16), f, 1, 28, "x"), Exit::invalid_input,
                 "CRC32 chunk covers 1 blocks; expected 0");
}

TEST(sparse_fill_block_repeats_one_4_byte_value) {
    Buffer block(4096, 0);
    for (size_t i = 0; i < block.size(); i += 4) put_le32(&block[i], 0xDEADBEEF);
    uint32_t pattern = 0;
    CHECK(sparse::is_fill_block(block, &pattern));
    CHECK_EQ(pattern, 0xDEADBEEFu);
    block[4095] = 0;
    CHECK(!sparse::is_fill_block(block, &pattern));
}
