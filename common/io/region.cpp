#include "io/region.h"

#include <algorithm>
#include <cstring>

#include "base/failure.h"

namespace mtkfw {

Region::Region(const Input& in, uint64_t offset, uint64_t length) : Region(in, {Piece{offset, length, false}}) {}

Region::Region(const Input& in, std::vector<Piece> pieces, std::string name)
    : in_(&in), pieces_(std::move(pieces)), name_(name.empty() ? in.name() : std::move(name)) {
    for (const Piece& p : pieces_) {
        if (p.length > UINT64_MAX - size_) fail_input(name_, "pieces longer than 2^64 bytes");
        size_ += p.length;
    }
}

void Region::for_each_part(uint64_t first, uint64_t length,
                           const std::function<void(const Piece& part, uint64_t logical)>& fn) const {
    if (first >= size_) return;
    length = std::min(length, size_ - first);
    uint64_t at = 0;  // logical start of the current piece
    for (const Piece& p : pieces_) {
        if (length == 0) break;
        if (first < at + p.length) {
            const uint64_t skip = first - at;
            const uint64_t n = std::min(length, p.length - skip);
            fn(Piece{p.zero ? 0 : p.offset + skip, n, p.zero}, first);
            first += n;
            length -= n;
        }
        at += p.length;
    }
}

void Region::read_at(void* buf, size_t n, uint64_t offset) const {
    if (offset > size_ || n > size_ - offset) {
        fail_input(name_, "truncated: " + std::to_string(n) + " bytes at byte " + std::to_string(offset) +
                              " run past its end (" + std::to_string(size_) + " bytes)");
    }
    auto* out = static_cast<uint8_t*>(buf);
    for_each_part(offset, n, [&](const Piece& part, uint64_t logical) {
        uint8_t* dst = out + (logical - offset);
        if (part.zero) {
            std::memset(dst, 0, static_cast<size_t>(part.length));
        } else {
            in_->read_at(dst, static_cast<size_t>(part.length), part.offset);
        }
    });
}

}  // namespace mtkfw
