#include "ops/sparse_reader.h"

#include <algorithm>

namespace mtkfw::sparse {
namespace {

FileHeader read_file_header(Input& in, DigestStream* tap) {
    uint8_t head[kFileHeaderSize];
    const size_t got = in.read(head, sizeof head);
    if (tap) tap->update(head, got);
    return parse_file_header(Bytes(head, got), in.name());
}

}  // namespace

ChunkReader::ChunkReader(Input& image, DigestStream* tap)
    : in_(image), tap_(tap), file_(read_file_header(image, tap)), chunk_head_(file_.chunk_hdr_sz) {
    skip(file_.file_hdr_sz - kFileHeaderSize);
    summary_.blk_sz = file_.blk_sz;
}

size_t ChunkReader::read_tapped(void* p, size_t n) {
    const size_t got = in_.read(p, n);
    if (tap_) tap_->update(static_cast<const uint8_t*>(p), got);
    return got;
}

void ChunkReader::skip(uint64_t n) {
    if (!tap_) {
        in_.skip(n);
        return;
    }
    while (n > 0) {
        const Bytes b = window_.next(in_, static_cast<size_t>(std::min<uint64_t>(n, size_t{1} << 20)));
        if (b.empty()) return;   // the input ended: the caller's checks say what that means
        tap_->update(b.data(), b.size());
        n -= b.size();
    }
}

bool ChunkReader::next(Chunk* chunk) {
    if (raw_left_) skip(raw_left_);
    raw_left_ = 0;
    if (current_.index == file_.total_chunks) return false;
    Chunk c;
    c.index = current_.index + 1;
    c.offset = in_.position();
    c.first_block = summary_.total_blocks;
    c.where = chunk_where(in_.name(), c.index, c.offset);
    if (read_tapped(chunk_head_.data(), chunk_head_.size()) < chunk_head_.size()) {
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
    check_read(n, read_tapped(p, n), from);
}

size_t ChunkReader::take_raw(size_t max) const { return static_cast<size_t>(std::min<uint64_t>(max, raw_left_)); }

Bytes ChunkReader::map_raw(size_t max) {
    const size_t n = take_raw(max);
    const uint64_t from = in_.position();
    const Bytes got = window_.next(in_, n);
    check_read(n, got.size(), from);
    if (tap_) tap_->update(got.data(), got.size());
    raw_left_ -= n;
    return got;
}

Bytes ChunkReader::read_raw(std::span<uint8_t> buffer) {
    const size_t n = take_raw(buffer.size());
    const uint64_t from = in_.position();
    check_read(n, read_tapped(buffer.data(), n), from);
    raw_left_ -= n;
    return Bytes(buffer.data(), n);
}

Summary ChunkReader::finish(Notices& notices) {
    if (raw_left_) skip(raw_left_);
    raw_left_ = 0;
    if (summary_.total_blocks != file_.total_blks) {
        fail_input(in_.name(), "the chunks cover " + std::to_string(summary_.total_blocks) +
                                   " blocks but the header says " + std::to_string(file_.total_blks));
    }
    summary_.file_bytes = in_.position();
    uint8_t extra;
    if (read_tapped(&extra, 1) == 1) {
        notices.push_back({Notice::Level::warning, in_.name() + ": data after the last chunk (byte " +
                                                       std::to_string(in_.position() - 1) + " on) ignored"});
        if (tap_) skip(UINT64_MAX);   // the digests are of the whole file, as SP Flash Tool sums it
    }
    return summary_;
}

}  // namespace mtkfw::sparse
