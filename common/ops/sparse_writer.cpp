#include "ops/sparse_writer.h"

#include <algorithm>
#include <string>

#include "base/failure.h"

namespace mtkfw::sparse {
namespace {

void write_chunk_header(Output& out, ChunkType type, uint64_t blocks, uint32_t blk_sz) {
    uint8_t h[kChunkHeaderSize];
    encode_chunk_header({static_cast<uint16_t>(type), static_cast<uint32_t>(blocks),
                         static_cast<uint32_t>(kChunkHeaderSize + chunk_data_bytes(type, blocks, blk_sz))},
                        h);
    out.write(h, sizeof h);
}

void write_fill_pattern(Output& out, uint32_t pattern) {
    uint8_t p[4];
    put_le32(p, pattern);
    out.write(p, 4);
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

}  // namespace

SparseImageWriter::SparseImageWriter(Output* out, uint32_t blk_sz, size_t max_chunks)
    : out_(out), blk_sz_(blk_sz), max_chunks_(max_chunks) {
    summary_.blk_sz = blk_sz;
    if (out_) {
        const uint8_t placeholder[kFileHeaderSize] = {};
        out_->write(placeholder, sizeof placeholder);
    }
}

SparseImageWriter::SparseImageWriter(Output& out, uint32_t blk_sz) : SparseImageWriter(&out, blk_sz, 0) {}

SparseImageWriter SparseImageWriter::planner(uint32_t blk_sz, size_t max_chunks) {
    return SparseImageWriter(nullptr, blk_sz, max_chunks);
}

uint64_t SparseImageWriter::max_blocks(ChunkType type) const {
    return (type == ChunkType::raw ? kMaxRawChunkBytes : kMaxChunkBytes) / blk_sz_;
}

void SparseImageWriter::open_chunk(ChunkType type, uint32_t fill) {
    close_chunk();
    if (!out_ && max_chunks_ && plan_.size() >= max_chunks_) {
        full_ = true;
        return;
    }
    open_ = true;
    type_ = type;
    fill_ = fill;
    chunk_blocks_ = 0;
    if (!out_) {
        plan_.push_back({type, 0, fill});
    } else if (type == ChunkType::raw) {
        // The length is patched when the chunk closes.
        chunk_header_at_ = out_->position();
        write_chunk_header(*out_, type, 0, blk_sz_);
    }
}

void SparseImageWriter::close_chunk() {
    if (!open_) return;
    open_ = false;
    summary_.count(type_, chunk_blocks_);
    if (!out_) {
        plan_.back().blocks = static_cast<uint32_t>(chunk_blocks_);
        return;
    }
    if (type_ == ChunkType::raw) {
        uint8_t h[kChunkHeaderSize];
        encode_chunk_header({static_cast<uint16_t>(type_), static_cast<uint32_t>(chunk_blocks_),
                             static_cast<uint32_t>(kChunkHeaderSize + chunk_data_bytes(type_, chunk_blocks_, blk_sz_))},
                            h);
        out_->write_at(h, sizeof h, chunk_header_at_);
        return;
    }
    write_chunk_header(*out_, type_, chunk_blocks_, blk_sz_);
    if (type_ == ChunkType::fill) write_fill_pattern(*out_, fill_);
}

void SparseImageWriter::whole_blocks(Bytes bytes) const {
    if (bytes.size() % blk_sz_) {
        throw Failure(Exit::internal, "sparse writer", std::to_string(bytes.size()) + " bytes are not whole blocks");
    }
}

void SparseImageWriter::data(Bytes blocks) {
    whole_blocks(blocks);
    size_t raw_from = 0, at = 0;
    uint32_t pattern = 0;
    for (; at < blocks.size() && !full_; at += blk_sz_) {
        if (!is_fill_block(blocks.subspan(at, blk_sz_), &pattern)) continue;
        if (at > raw_from) raw(blocks.subspan(raw_from, at - raw_from));
        fill(1, pattern);
        raw_from = at + blk_sz_;
    }
    if (blocks.size() > raw_from) raw(blocks.subspan(raw_from));
}

bool SparseImageWriter::continues(ChunkType type, uint32_t pattern) const {
    return open_ && type_ == type && (type != ChunkType::fill || fill_ == pattern) &&
           chunk_blocks_ < max_blocks(type);
}

void SparseImageWriter::raw(Bytes data) {
    whole_blocks(data);
    while (!data.empty() && !full_) {
        if (!continues(ChunkType::raw, 0)) open_chunk(ChunkType::raw, 0);
        if (full_) return;
        const uint64_t n = std::min<uint64_t>(max_blocks(ChunkType::raw) - chunk_blocks_, data.size() / blk_sz_);
        if (out_) out_->write(data.data(), n * blk_sz_);
        chunk_blocks_ += n;
        blocks_ += n;
        typed_[static_cast<size_t>(ChunkType::raw) & 3] += n;
        data = data.subspan(n * blk_sz_);
    }
}

// FILL and DONT_CARE: runs without data, merged up to kMaxChunkBytes.
void SparseImageWriter::run(ChunkType type, uint64_t blocks, uint32_t pattern) {
    while (blocks > 0 && !full_) {
        if (!continues(type, pattern)) open_chunk(type, pattern);
        if (full_) return;
        const uint64_t n = std::min(blocks, max_blocks(type) - chunk_blocks_);
        chunk_blocks_ += n;
        blocks_ += n;
        typed_[static_cast<size_t>(type) & 3] += n;
        blocks -= n;
    }
}

void SparseImageWriter::fill(uint64_t blocks, uint32_t pattern) { run(ChunkType::fill, blocks, pattern); }

void SparseImageWriter::dont_care(uint64_t blocks) { run(ChunkType::dont_care, blocks, 0); }

Summary SparseImageWriter::finish() {
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
    for (const PlannedChunk& c : plan) s.count(c.type, c.blocks);
    const uint64_t start = out.position();
    write_file_header(out, s, true);
    uint64_t block = 0;
    for (const PlannedChunk& c : plan) {
        write_chunk_header(out, c.type, c.blocks, blk_sz);
        if (c.type == ChunkType::raw) copy_raw(block, c.blocks);
        else if (c.type == ChunkType::fill) write_fill_pattern(out, c.fill);
        block += c.blocks;
    }
    s.file_bytes = out.position() - start;
    return s;
}

}  // namespace mtkfw::sparse
