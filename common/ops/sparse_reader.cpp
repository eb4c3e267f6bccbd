#include "ops/sparse_reader.h"

#include <algorithm>

namespace mtkfw::sparse {
namespace {

FileHeader read_file_header(Input& in) {
    uint8_t head[kFileHeaderSize];
    const size_t got = in.read(head, sizeof head);
    const FileHeader file = parse_file_header(Bytes(head, got), in.name());
    in.skip(file.file_hdr_sz - kFileHeaderSize);
    return file;
}

}  // namespace

ChunkReader::ChunkReader(Input& image) : in_(image), file_(read_file_header(image)), chunk_head_(file_.chunk_hdr_sz) {
    summary_.blk_sz = file_.blk_sz;
}

bool ChunkReader::next(Chunk* chunk) {
    if (raw_left_) in_.skip(raw_left_);
    raw_left_ = 0;
    if (current_.index == file_.total_chunks) return false;
    Chunk c;
    c.index = current_.index + 1;
    c.offset = in_.position();
    c.first_block = summary_.total_blocks;
    c.where = chunk_where(in_.name(), c.index, c.offset);
    if (in_.read(chunk_head_.data(), chunk_head_.size()) < chunk_head_.size()) {
        fail_input(c.where, "truncated: the header says " + std::to_string(file_.total_chunks) +
                                " chunks but the file ends inside chunk " + std::to_string(c.index));
    }
    const ChunkHeader h = parse_chunk_header(chunk_head_, file_, c.index, c.offset, in_.name());
    c.type = static_cast<ChunkType>(h.type);
    c.blocks = h.chunk_sz;
    if (summary_.total_blocks + c.blocks > file_.total_blks) {
        fail_input(c.where, "runs past the image end: block " + std::to_string(summary_.total_blocks + c.blocks) +
                                " of " + std::to_string(file_.total_blks));
    }
    current_ = c;
    if (c.type == ChunkType::fill || c.type == ChunkType::crc32) {
        uint8_t v[4];
        read_value(v, sizeof v);
        current_.value = le32(Bytes(v, 4), 0);
    } else if (c.type == ChunkType::raw) {
        raw_left_ = static_cast<uint64_t>(c.blocks) * file_.blk_sz;
    }
    summary_.count(c.type, c.blocks);
    *chunk = current_;
    return true;
}

void ChunkReader::check_read(size_t wanted, size_t got, uint64_t from) const {
    if (got < wanted) {
        fail_input(current_.where, "truncated: the data of this " + std::string(type_name(current_.type)) +
                                       " chunk ends early (input ends at byte " + std::to_string(in_.position()) +
                                       ", chunk data from byte " + std::to_string(from) + ")");
    }
}

void ChunkReader::read_value(void* p, size_t n) {
    const uint64_t from = in_.position();
    check_read(n, in_.read(p, n), from);
}

size_t ChunkReader::take_raw(size_t max) const { return static_cast<size_t>(std::min<uint64_t>(max, raw_left_)); }

Bytes ChunkReader::map_raw(size_t max) {
    const size_t n = take_raw(max);
    const uint64_t from = in_.position();
    const Bytes got = window_.next(in_, n);
    check_read(n, got.size(), from);
    raw_left_ -= n;
    return got;
}

Bytes ChunkReader::read_raw(std::span<uint8_t> buffer) {
    const size_t n = take_raw(buffer.size());
    const uint64_t from = in_.position();
    check_read(n, in_.read(buffer.data(), n), from);
    raw_left_ -= n;
    return Bytes(buffer.data(), n);
}

Summary ChunkReader::finish(Notices& notices) {
    if (raw_left_) in_.skip(raw_left_);
    raw_left_ = 0;
    if (summary_.total_blocks != file_.total_blks) {
        fail_input(in_.name(), "the chunks cover " + std::to_string(summary_.total_blocks) +
                                   " blocks but the header says " + std::to_string(file_.total_blks));
    }
    summary_.file_bytes = in_.position();
    uint8_t extra;
    if (in_.read(&extra, 1) == 1) {
        notices.push_back({Notice::Level::warning, in_.name() + ": data after the last chunk (byte " +
                                                       std::to_string(in_.position() - 1) + " on) ignored"});
    }
    return summary_;
}

}  // namespace mtkfw::sparse
