#include "ops/sparse_decode.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "ops/sparse_reader.h"

namespace mtkfw::sparse {
namespace {

// CRC32 of `count` copies of a block whose CRC32 is `block_crc`, by doubling.
uint32_t crc_of_repeats(uint32_t crc, uint32_t block_crc, uint64_t block_len, uint64_t count) {
    uint32_t power = block_crc;  // CRC of 2^k blocks
    uint64_t power_len = block_len;
    while (count > 0) {
        if (count & 1) crc = static_cast<uint32_t>(crc32_combine64(crc, power, static_cast<z_off64_t>(power_len)));
        count >>= 1;
        if (count > 0) {
            power = static_cast<uint32_t>(crc32_combine64(power, power, static_cast<z_off64_t>(power_len)));
            power_len *= 2;
        }
    }
    return crc;
}

uint32_t crc_of(uint32_t crc, const uint8_t* p, size_t n) {
    while (n > 0) {
        const uInt k = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
        crc = static_cast<uint32_t>(crc32(crc, p, k));
        p += k;
        n -= k;
    }
    return crc;
}

// Whole blocks, up to 4 MiB, and no more than the image expands to: a small image gets a
// small buffer (it is zero-filled when made).
size_t buffer_bytes(const FileHeader& h) {
    const uint64_t expanded = static_cast<uint64_t>(h.total_blks) * h.blk_sz;
    const uint64_t bytes = std::min<uint64_t>(expanded, 4u << 20) / h.blk_sz * h.blk_sz;
    return static_cast<size_t>(std::max<uint64_t>(bytes, h.blk_sz));
}

// Writes each chunk's expansion to the output and keeps the CRC32 of everything so far.
class Expander {
public:
    Expander(ChunkReader& chunks, Output& out, const ProgressFn& progress)
        : chunks_(chunks), out_(out), progress_(progress), blk_sz_(chunks.header().blk_sz),
          buf_(buffer_bytes(chunks.header())) {}

    void expand(const Chunk& c) {
        const uint64_t bytes = static_cast<uint64_t>(c.blocks) * blk_sz_;
        switch (c.type) {
            case ChunkType::raw: raw(); break;
            case ChunkType::fill: fill(c.value, c.blocks, bytes); break;
            case ChunkType::dont_care: dont_care(c.blocks, bytes); break;
            case ChunkType::crc32: check_crc(c); break;
        }
    }

private:
    void raw() {
        while (chunks_.raw_left() > 0) {
            const Bytes piece = chunks_.read_raw(buf_);
            crc_ = crc_of(crc_, piece.data(), piece.size());
            write(piece);
        }
    }

    void fill(uint32_t pattern, uint64_t blocks, uint64_t bytes) {
        const size_t pattern_len = static_cast<size_t>(std::min<uint64_t>(buf_.size(), std::max<uint64_t>(bytes, blk_sz_)));
        for (size_t k = 0; k < pattern_len; k += 4) put_le32(&buf_[k], pattern);
        crc_ = crc_of_repeats(crc_, crc_of(0, buf_.data(), blk_sz_), blk_sz_, blocks);
        for (uint64_t done = 0; done < bytes;) {
            const size_t k = static_cast<size_t>(std::min<uint64_t>(pattern_len, bytes - done));
            write(Bytes(buf_.data(), k));
            done += k;
        }
    }

    void dont_care(uint64_t blocks, uint64_t bytes) {
        std::memset(buf_.data(), 0, blk_sz_);
        crc_ = crc_of_repeats(crc_, crc_of(0, buf_.data(), blk_sz_), blk_sz_, blocks);
        out_.skip_zeros(bytes);
        report();
    }

    void check_crc(const Chunk& c) const {
        if (c.value != crc_) {
            char msg[96];
            std::snprintf(msg, sizeof msg, "CRC32 mismatch: the chunk says 0x%08x, the data so far has 0x%08x", c.value,
                          crc_);
            fail_input(c.where, msg);
        }
    }

    void write(Bytes piece) {
        out_.write(piece.data(), piece.size());
        report();
    }
    void report() const {
        if (progress_) progress_(out_.position(), 0);
    }

    ChunkReader& chunks_;
    Output& out_;
    const ProgressFn& progress_;
    const uint32_t blk_sz_;
    std::vector<uint8_t> buf_;
    uint32_t crc_ = 0;
};

}  // namespace

Summary decode(Input& in, Output& out, const ProgressFn& progress, Notices& notices) {
    ChunkReader chunks(in);
    Expander expander(chunks, out, progress);
    for (Chunk c; chunks.next(&c);) expander.expand(c);
    return chunks.finish(notices);
}

}  // namespace mtkfw::sparse
