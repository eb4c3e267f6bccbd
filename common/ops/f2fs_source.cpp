#include "ops/f2fs_source.h"

#include <fcntl.h>

#include <vector>

#include "io/window.h"

namespace mtkfw {

using sparse::SparseImageWriter;
using f2fs::kBlockSize;

Produced seekable_f2fs(const Input& in, uint64_t base, const f2fs::Map& map, uint64_t total_blocks,
                       SparseImageWriter& w, const ProgressMeter& progress) {
    Window window;
    Produced p{total_blocks, map.super().block_count, 0};
    map.runs(0, total_blocks, [&](uint64_t first, uint64_t count, bool used) {
        if (w.full()) return false;
        if (!used) {
            w.dont_care(count);
            return true;
        }
        posix_fadvise(in.fd(), static_cast<off_t>(base + first * kBlockSize), static_cast<off_t>(count * kBlockSize),
                      POSIX_FADV_WILLNEED);
        copy_used(in, base, kBlockSize, first, count, window, w, progress);
        p.used_blocks += count;
        return true;
    });
    return p;
}

class StreamF2fs::Impl {
public:
    Impl(Input& in, std::optional<uint64_t> size, Notices& notices, Bytes head)
        : in_(in), size_(size), notices_(notices), head_(head.begin(), head.end()) {
        // Both superblocks: the first two blocks (fewer when the input is shorter).
        const size_t want = static_cast<size_t>(std::min<uint64_t>(2 * kBlockSize, size.value_or(UINT64_MAX)));
        const size_t had = head_.size();
        if (had < want) {
            head_.resize(want);
            head_.resize(had + in.read(head_.data() + had, want - had));
        }
        builder_.emplace(Bytes(head_), in.name(), notices);
        if (size_) f2fs::check_fits(builder_->super(), *size_, in.name());
    }

    const f2fs::Superblock& super() const { return builder_->super(); }
    const std::optional<f2fs::Map>& map() const { return map_; }

    Produced run(SparseImageWriter& w, const ProgressMeter& progress) {
        const f2fs::Superblock& sb = builder_->super();
        Produced p{0, sb.block_count, 0};
        const uint64_t main = sb.main_blkaddr;
        take(main, true, w, progress);  // every metadata block: used, and read by the builder
        p.used_blocks += main;
        map_.emplace(builder_->finish());
        map_->runs(main, sb.main_end(), [&](uint64_t, uint64_t count, bool used) {
            take(count, used, w, progress);
            if (used) p.used_blocks += count;
            return true;
        });
        // Past the main area: used, up to --size or the end of the input.
        uint64_t tail = 0;
        if (size_) {
            tail = whole_blocks(*size_ - at_, kBlockSize, in_.name(), notices_);
            take(tail, true, w, progress);
        } else {
            for (Bytes piece; !(piece = window_.next(in_, kReadBytes)).empty();) {
                const size_t whole = piece.size() / kBlockSize * kBlockSize;
                w.data(piece.first(whole));
                tail += whole / kBlockSize;
                at_ += piece.size();
                progress.update(at_);
                if (whole < piece.size()) whole_blocks(piece.size() - whole, kBlockSize, in_.name(), notices_);
            }
        }
        f2fs::check_fits(sb, at_, in_.name());  // a pipe cut short past the main area
        p.used_blocks += tail;
        p.total_blocks = sb.main_end() + tail;
        return p;
    }

private:
    // The next `blocks` blocks: data for `w` (and the builder, before the main area), or passed over.
    void take(uint64_t blocks, bool used, SparseImageWriter& w, const ProgressMeter& progress) {
        uint64_t n = blocks * kBlockSize;
        if (!used) {
            const uint64_t from_head = at_ < head_.size() ? std::min<uint64_t>(n, head_.size() - at_) : 0;
            in_.skip(n - from_head);  // a truncation Failure of its own
            at_ += n;
            w.dont_care(blocks);
            progress.update(at_);
            return;
        }
        while (n > 0) {
            Bytes piece;
            if (at_ < head_.size()) {
                piece = Bytes(head_).subspan(static_cast<size_t>(at_), static_cast<size_t>(std::min<uint64_t>(n, head_.size() - at_)));
            } else {
                piece = window_.next(in_, static_cast<size_t>(std::min<uint64_t>(n, kReadBytes)));
            }
            if (piece.empty() || piece.size() % kBlockSize) {
                f2fs::check_fits(builder_->super(), at_ + piece.size(), in_.name());
                fail_input(in_.name(), "truncated: ends at byte " + std::to_string(at_ + piece.size()) +
                                           " of the f2fs partition, whose main area ends at byte " +
                                           std::to_string(builder_->super().main_end() * kBlockSize));
            }
            if (!map_) builder_->observe(at_ / kBlockSize, piece);
            w.data(piece);
            at_ += piece.size();
            n -= piece.size();
            progress.update(at_);
        }
    }

    Input& in_;
    std::optional<uint64_t> size_;
    Notices& notices_;
    std::vector<uint8_t> head_;
    std::optional<f2fs::MapBuilder> builder_;
    std::optional<f2fs::Map> map_;
    Window window_;
    uint64_t at_ = 0;  // bytes of the partition passed
};

StreamF2fs::StreamF2fs(Input& in, std::optional<uint64_t> size, Notices& notices, Bytes head)
    : impl_(std::make_unique<Impl>(in, size, notices, head)) {}
StreamF2fs::StreamF2fs(StreamF2fs&&) noexcept = default;
StreamF2fs::~StreamF2fs() = default;
const f2fs::Superblock& StreamF2fs::super() const { return impl_->super(); }
const std::optional<f2fs::Map>& StreamF2fs::map() const { return impl_->map(); }
Produced StreamF2fs::run(SparseImageWriter& w, const ProgressMeter& progress) { return impl_->run(w, progress); }

}  // namespace mtkfw
