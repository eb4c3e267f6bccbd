// A byte range of a seekable input made of pieces in order: a GPT partition (one piece) or a
// logical partition of super (its LP extents in logical order; a ZERO extent reads as zeros).
// File-system readers (ext4, erofs) read through a Region, so one reader serves a partition of a
// dump and a partition inside super alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/input.h"

namespace mtkfw {

struct Piece {
    uint64_t offset = 0;  // physical byte offset in the input (unused when zero)
    uint64_t length = 0;  // bytes
    bool zero = false;    // reads as zeros, occupies nothing in the input (LP ZERO extent)
};

class Region {
public:
    // One piece: bytes [offset, offset + length) of `in`.
    Region(const Input& in, uint64_t offset, uint64_t length);
    // Pieces in logical order; `name` for messages ("super/system_a"), default the input's name.
    Region(const Input& in, std::vector<Piece> pieces, std::string name = {});

    const Input& input() const { return *in_; }
    const std::string& name() const { return name_; }
    uint64_t size() const { return size_; }
    const std::vector<Piece>& pieces() const { return pieces_; }
    // The physical offset of logical byte 0 when the region is one piece that is not zero.
    bool contiguous() const { return pieces_.size() == 1 && !pieces_[0].zero; }
    uint64_t offset() const { return pieces_.empty() ? 0 : pieces_[0].offset; }

    // Exactly `n` logical bytes at `offset`: a truncation Failure past size(), or past the input.
    void read_at(void* buf, size_t n, uint64_t offset) const;

    // Calls fn(piece, logical, length) for each part of the logical range [first, first + length)
    // (clipped to size()), in order; `piece` gives the physical offset of the part
    // (piece.offset) and whether it is zero; `logical` is where the part starts.
    void for_each_part(uint64_t first, uint64_t length,
                       const std::function<void(const Piece& part, uint64_t logical)>& fn) const;

private:
    const Input* in_;
    std::vector<Piece> pieces_;
    std::string name_;
    uint64_t size_ = 0;
};

}  // namespace mtkfw
