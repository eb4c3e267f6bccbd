#include "ops/sparse.h"

#include <zlib.h>

#include <cstring>
#include <string>

namespace mtkfw::sparse {
namespace {

std::string chunk_where(uint32_t index, uint64_t offset) {
    return "chunk " + std::to_string(index) + " at byte " + std::to_string(offset);
}

const char* type_name(ChunkType t) {
    switch (t) {
        case ChunkType::raw: return "RAW";
        case ChunkType::fill: return "FILL";
        case ChunkType::dont_care: return "DONT_CARE";
        case ChunkType::crc32: return "CRC32";
    }
    return "?";
}

void count_chunk(Summary* s, ChunkType type, uint64_t blocks) {
    switch (type) {
        case ChunkType::raw: ++s->raw_chunks; s->raw_blocks += blocks; break;
        case ChunkType::fill: ++s->fill_chunks; s->fill_blocks += blocks; break;
        case ChunkType::dont_care: ++s->dont_care_chunks; s->dont_care_blocks += blocks; break;
        case ChunkType::crc32: ++s->crc_chunks; break;
    }
    s->total_blocks += blocks;
}

uint32_t data_bytes(ChunkType type, uint64_t blocks, uint32_t blk_sz) {
    switch (type) {
        case ChunkType::raw: return static_cast<uint32_t>(blocks * blk_sz);
        case ChunkType::fill:
        case ChunkType::crc32: return 4;
        case ChunkType::dont_care: return 0;
    }
    return 0;
}

void write_chunk_header(Output& out, ChunkType type, uint64_t blocks, uint32_t blk_sz) {
    uint8_t h[kChunkHeaderSize];
    encode_chunk_header({static_cast<uint16_t>(type), static_cast<uint32_t>(blocks),
                         kChunkHeaderSize + data_bytes(type, blocks, blk_sz)},
                        h);
    out.write(h, sizeof h);
}

void write_file_header(Output& out, const Summary& s, bool at_start) {
    if (s.total_blocks > UINT32_MAX) {
        fail_input("sparse image", "needs " + std::to_string(s.total_blocks) +
                                       " blocks; the format holds at most 4294967295");
    }
    FileHeader h;
    h.blk_sz = s.blk_sz;
    h.total_blks = static_cast<uint32_t>(s.total_blocks);
    h.total_chunks = static_cast<uint32_t>(s.chunks());
    uint8_t b[kFileHeaderSize];
    encode_file_header(h, b);
    if (at_start) out.write(b, sizeof b);
    else out.write_at(b, sizeof b, 0);
}

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

}  // namespace

FileHeader parse_file_header(Bytes b, const std::string& what) {
    if (b.size() < kFileHeaderSize) fail_input(what, "not a sparse image: shorter than its 28-byte header");
    if (le32(b, 0) != kMagic) fail_input(what, "not a sparse image: bad magic (expected 0xed26ff3a)");
    FileHeader h;
    h.major_version = le16(b, 4);
    h.minor_version = le16(b, 6);
    h.file_hdr_sz = le16(b, 8);
    h.chunk_hdr_sz = le16(b, 10);
    h.blk_sz = le32(b, 12);
    h.total_blks = le32(b, 16);
    h.total_chunks = le32(b, 20);
    h.image_checksum = le32(b, 24);
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
    c.type = le16(b, 0);
    c.chunk_sz = le32(b, 4);
    c.total_sz = le32(b, 8);
    const std::string where = what + ": " + chunk_where(index, offset);
    uint64_t data = 0;
    switch (static_cast<ChunkType>(c.type)) {
        case ChunkType::raw: data = static_cast<uint64_t>(c.chunk_sz) * file.blk_sz; break;
        case ChunkType::fill:
        case ChunkType::crc32: data = 4; break;
        case ChunkType::dont_care: data = 0; break;
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%04x", c.type);
            fail_input(where, std::string("unknown chunk type ") + hex);
        }
    }
    const uint64_t expected = file.chunk_hdr_sz + data;
    if (c.total_sz != expected) {
        fail_input(where, std::string(type_name(static_cast<ChunkType>(c.type))) + " chunk of " +
                              std::to_string(c.chunk_sz) + " blocks says " + std::to_string(c.total_sz) +
                              " bytes; expected " + std::to_string(expected));
    }
    if (static_cast<ChunkType>(c.type) == ChunkType::crc32 && c.chunk_sz != 0) {
        fail_input(where, "CRC32 chunk covers " + std::to_string(c.chunk_sz) + " blocks; expected 0");
    }
    return c;
}

void encode_file_header(const FileHeader& h, uint8_t out[kFileHeaderSize]) {
    put_le32(out, kMagic);
    put_le16(out + 4, h.major_version);
    put_le16(out + 6, h.minor_version);
    put_le16(out + 8, h.file_hdr_sz);
    put_le16(out + 10, h.chunk_hdr_sz);
    put_le32(out + 12, h.blk_sz);
    put_le32(out + 16, h.total_blks);
    put_le32(out + 20, h.total_chunks);
    put_le32(out + 24, h.image_checksum);
}

void encode_chunk_header(const ChunkHeader& h, uint8_t out[kChunkHeaderSize]) {
    put_le16(out, h.type);
    put_le16(out + 2, 0);
    put_le32(out + 4, h.chunk_sz);
    put_le32(out + 8, h.total_sz);
}

bool is_fill_block(Bytes block, uint32_t* pattern) {
    // The block repeats its first 4 bytes exactly when it equals itself shifted by 4.
    if (block.size() < 4 || std::memcmp(block.data(), block.data() + 4, block.size() - 4) != 0) return false;
    *pattern = le32(block, 0);
    return true;
}

// ---- writer ----

SparseWriter::SparseWriter(Output* out, uint32_t blk_sz, size_t max_plan)
    : out_(out), blk_sz_(blk_sz), max_plan_(max_plan) {
    summary_.blk_sz = blk_sz;
    if (out_) {
        const uint8_t placeholder[kFileHeaderSize] = {};
        out_->write(placeholder, sizeof placeholder);
    }
}

uint64_t SparseWriter::max_blocks(ChunkType type) const {
    return (type == ChunkType::raw ? kMaxRawChunkBytes : kMaxChunkBytes) / blk_sz_;
}

void SparseWriter::open_chunk(ChunkType type, uint32_t fill) {
    close_chunk();
    open_ = true;
    type_ = type;
    fill_ = fill;
    chunk_blocks_ = 0;
    if (!out_) {
        if (max_plan_ && plan_.size() >= max_plan_) throw PlanTooLarge{};
        plan_.push_back({type, 0, fill});
    } else if (type == ChunkType::raw) {
        // The length is patched when the chunk closes.
        chunk_header_at_ = out_->position();
        write_chunk_header(*out_, type, 0, blk_sz_);
    }
}

void SparseWriter::close_chunk() {
    if (!open_) return;
    open_ = false;
    count_chunk(&summary_, type_, chunk_blocks_);
    if (!out_) {
        plan_.back().blocks = static_cast<uint32_t>(chunk_blocks_);
        return;
    }
    if (type_ == ChunkType::raw) {
        uint8_t h[kChunkHeaderSize];
        encode_chunk_header({static_cast<uint16_t>(type_), static_cast<uint32_t>(chunk_blocks_),
                             kChunkHeaderSize + data_bytes(type_, chunk_blocks_, blk_sz_)},
                            h);
        out_->write_at(h, sizeof h, chunk_header_at_);
        return;
    }
    write_chunk_header(*out_, type_, chunk_blocks_, blk_sz_);
    if (type_ == ChunkType::fill) {
        uint8_t p[4];
        put_le32(p, fill_);
        out_->write(p, 4);
    }
}

void SparseWriter::whole_blocks(Bytes bytes) const {
    if (bytes.size() % blk_sz_) {
        throw Failure(Exit::internal, "sparse writer", std::to_string(bytes.size()) + " bytes are not whole blocks");
    }
}

void SparseWriter::data(Bytes blocks) {
    whole_blocks(blocks);
    size_t raw_from = 0, at = 0;
    uint32_t pattern = 0;
    for (; at < blocks.size(); at += blk_sz_) {
        if (!is_fill_block(blocks.subspan(at, blk_sz_), &pattern)) continue;
        if (at > raw_from) raw(blocks.subspan(raw_from, at - raw_from));
        fill(1, pattern);
        raw_from = at + blk_sz_;
    }
    if (blocks.size() > raw_from) raw(blocks.subspan(raw_from));
}

void SparseWriter::raw(Bytes data) {
    whole_blocks(data);
    while (!data.empty()) {
        if (!open_ || type_ != ChunkType::raw || chunk_blocks_ == max_blocks(ChunkType::raw)) {
            open_chunk(ChunkType::raw, 0);
        }
        const uint64_t room = max_blocks(ChunkType::raw) - chunk_blocks_;
        const uint64_t n = std::min<uint64_t>(room, data.size() / blk_sz_);
        if (out_) out_->write(data.data(), n * blk_sz_);
        chunk_blocks_ += n;
        blocks_ += n;
        data = data.subspan(n * blk_sz_);
    }
}

void SparseWriter::fill(uint64_t blocks, uint32_t pattern) {
    while (blocks > 0) {
        if (!open_ || type_ != ChunkType::fill || fill_ != pattern || chunk_blocks_ == max_blocks(ChunkType::fill)) {
            open_chunk(ChunkType::fill, pattern);
        }
        const uint64_t n = std::min(blocks, max_blocks(ChunkType::fill) - chunk_blocks_);
        chunk_blocks_ += n;
        blocks_ += n;
        blocks -= n;
    }
}

void SparseWriter::dont_care(uint64_t blocks) {
    while (blocks > 0) {
        if (!open_ || type_ != ChunkType::dont_care || chunk_blocks_ == max_blocks(ChunkType::dont_care)) {
            open_chunk(ChunkType::dont_care, 0);
        }
        const uint64_t n = std::min(blocks, max_blocks(ChunkType::dont_care) - chunk_blocks_);
        chunk_blocks_ += n;
        blocks_ += n;
        blocks -= n;
    }
}

Summary SparseWriter::finish() {
    close_chunk();
    if (out_) {
        write_file_header(*out_, summary_, false);
        summary_.file_bytes = out_->position();
    }
    return summary_;
}

Summary write_planned(Output& out, uint32_t blk_sz, const std::vector<PlannedChunk>& plan,
                      const std::function<void(uint64_t, uint64_t)>& copy_raw) {
    Summary s;
    s.blk_sz = blk_sz;
    for (const PlannedChunk& c : plan) count_chunk(&s, c.type, c.blocks);
    const uint64_t start = out.position();
    write_file_header(out, s, true);
    uint64_t block = 0;
    for (const PlannedChunk& c : plan) {
        write_chunk_header(out, c.type, c.blocks, blk_sz);
        if (c.type == ChunkType::raw) {
            copy_raw(block, c.blocks);
        } else if (c.type == ChunkType::fill) {
            uint8_t p[4];
            put_le32(p, c.fill);
            out.write(p, 4);
        }
        block += c.blocks;
    }
    s.file_bytes = out.position() - start;
    return s;
}

// ---- decoder ----

Summary decode(Input& in, Output& out, const ProgressFn& progress, Notices* notices) {
    const std::string& what = in.name();
    uint8_t head[kFileHeaderSize];
    const size_t got = in.read(head, sizeof head);
    const FileHeader file = parse_file_header(Bytes(head, got), what);
    in.skip(file.file_hdr_sz - kFileHeaderSize);

    Summary s;
    s.blk_sz = file.blk_sz;
    uint32_t crc = 0;
    std::vector<uint8_t> buf(std::max<size_t>(file.blk_sz, 4u << 20) / file.blk_sz * file.blk_sz);
    std::vector<uint8_t> chunk_head(file.chunk_hdr_sz);
    for (uint32_t i = 1; i <= file.total_chunks; ++i) {
        const uint64_t offset = in.position();
        const std::string where = what + ": " + chunk_where(i, offset);
        const size_t n = in.read(chunk_head.data(), chunk_head.size());
        if (n < chunk_head.size()) {
            fail_input(where, "truncated: the header says " + std::to_string(file.total_chunks) +
                                  " chunks but the file ends inside chunk " + std::to_string(i));
        }
        const ChunkHeader c = parse_chunk_header(chunk_head, file, i, offset, what);
        const ChunkType type = static_cast<ChunkType>(c.type);
        if (s.total_blocks + c.chunk_sz > file.total_blks) {
            fail_input(where, "runs past the image end: block " + std::to_string(s.total_blocks + c.chunk_sz) +
                                  " of " + std::to_string(file.total_blks));
        }
        const uint64_t bytes = static_cast<uint64_t>(c.chunk_sz) * file.blk_sz;
        auto need = [&](void* p, size_t len) {
            const uint64_t at = in.position();
            if (in.read(p, len) < len) {
                fail_input(where, "truncated: the data of this " + std::string(type_name(type)) +
                                      " chunk ends early (input ends at byte " + std::to_string(in.position()) +
                                      ", chunk data from byte " + std::to_string(at) + ")");
            }
        };
        if (type == ChunkType::raw) {
            for (uint64_t done = 0; done < bytes;) {
                const size_t k = static_cast<size_t>(std::min<uint64_t>(buf.size(), bytes - done));
                need(buf.data(), k);
                crc = crc_of(crc, buf.data(), k);
                out.write(buf.data(), k);
                done += k;
                if (progress) progress(out.position(), 0);
            }
        } else if (type == ChunkType::fill) {
            uint8_t p[4];
            need(p, 4);
            const size_t pattern_len = static_cast<size_t>(std::min<uint64_t>(buf.size(), std::max<uint64_t>(bytes, file.blk_sz)));
            for (size_t k = 0; k < pattern_len; k += 4) std::memcpy(&buf[k], p, 4);
            crc = crc_of_repeats(crc, crc_of(0, buf.data(), file.blk_sz), file.blk_sz, c.chunk_sz);
            for (uint64_t done = 0; done < bytes;) {
                const size_t k = static_cast<size_t>(std::min<uint64_t>(pattern_len, bytes - done));
                out.write(buf.data(), k);
                done += k;
                if (progress) progress(out.position(), 0);
            }
        } else if (type == ChunkType::dont_care) {
            std::memset(buf.data(), 0, file.blk_sz);
            crc = crc_of_repeats(crc, crc_of(0, buf.data(), file.blk_sz), file.blk_sz, c.chunk_sz);
            out.skip_zeros(bytes);
            if (progress) progress(out.position(), 0);
        } else {
            uint8_t p[4];
            need(p, 4);
            if (le32(Bytes(p, 4), 0) != crc) {
                char msg[96];
                std::snprintf(msg, sizeof msg, "CRC32 mismatch: the chunk says 0x%08x, the data so far has 0x%08x",
                              le32(Bytes(p, 4), 0), crc);
                fail_input(where, msg);
            }
        }
        count_chunk(&s, type, c.chunk_sz);
    }
    if (s.total_blocks != file.total_blks) {
        fail_input(what, "the chunks cover " + std::to_string(s.total_blocks) + " blocks but the header says " +
                             std::to_string(file.total_blks));
    }
    s.file_bytes = in.position();
    uint8_t extra;
    if (in.read(&extra, 1) == 1 && notices) {
        notices->push_back({Notice::Level::warning, what + ": data after the last chunk (byte " +
                                                        std::to_string(in.position() - 1) + " on) ignored"});
    }
    return s;
}

}  // namespace mtkfw::sparse
