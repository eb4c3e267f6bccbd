#include "ops/block_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <unordered_map>
#include <vector>

#include "io/window.h"

namespace mtkfw {

using sparse::SparseImageWriter;

uint64_t whole_blocks(uint64_t bytes, uint32_t blk_sz, const std::string& what, Notices& notices) {
    if (bytes % blk_sz) {
        notices.push_back({Notice::Level::warning,
                            what + ": the last " + std::to_string(bytes % blk_sz) + " bytes do not fill a " +
                                std::to_string(blk_sz) + "-byte block and are left out of the image"});
    }
    return bytes / blk_sz;
}

void copy_used(const Input& in, uint64_t base, uint32_t bs, uint64_t first, uint64_t count, Window& window,
               SparseImageWriter& w, const ProgressMeter& progress) {
    const uint64_t per_read = kReadBytes / bs;
    while (count > 0 && !w.full()) {
        const uint64_t k = std::min(count, per_read);
        w.data(window.at(in, base + first * bs, static_cast<size_t>(k * bs)));
        first += k;
        count -= k;
        progress.update(first * bs);
    }
}

namespace {

// Calls `run(first, count, used)` for each run of equal bits of group `g`.
template <typename F>
void for_each_run(const ext4::Superblock& sb, uint32_t g, const std::vector<uint8_t>& bits, F run) {
    const uint64_t first = ext4::group_first_block(sb, g);
    const uint32_t n = ext4::group_block_count(sb, g);
    for (uint32_t i = 0; i < n;) {
        const bool used = ext4::test_bit(bits, i);
        const uint32_t j = static_cast<uint32_t>(ext4::find_bit(bits, i + 1, n, !used));
        run(first + i, j - i, used);
        i = j;
    }
}

}  // namespace

// Seekable ext4: bitmaps group by group, then only the used runs.  The next group's used runs
// are announced to the kernel (POSIX_FADV_WILLNEED) while this group's are copied, so a cold
// input is read ahead run by run instead of one synchronous read at a time.
Produced seekable_ext4(const ext4::Volume& v, uint64_t total_blocks, SparseImageWriter& w, const ProgressMeter& progress) {
    const ext4::Superblock& sb = v.super();
    const uint32_t bs = sb.block_size;
    Window window;
    Produced p{total_blocks, sb.blocks_count, sb.first_data_block};
    auto prefetch = [&](uint32_t g) {
        std::vector<uint8_t> bits = v.group_used(g);
        for_each_run(sb, g, bits, [&](uint64_t first, uint64_t n, bool used) {
            if (used) posix_fadvise(v.input().fd(), static_cast<off_t>(v.offset() + first * bs),
                                    static_cast<off_t>(n * bs), POSIX_FADV_WILLNEED);
        });
        return bits;
    };
    // The 1 KiB boot block before the first group of a 1 KiB-block file system: kept.
    copy_used(v.input(), v.offset(), bs, 0, sb.first_data_block, window, w, progress);
    std::vector<uint8_t> next = prefetch(0);
    for (uint32_t g = 0; g < sb.group_count && !w.full(); ++g) {
        const std::vector<uint8_t> bits = std::move(next);
        if (g + 1 < sb.group_count) next = prefetch(g + 1);
        for_each_run(sb, g, bits, [&](uint64_t first, uint64_t n, bool used) {
            if (used) {
                copy_used(v.input(), v.offset(), bs, first, n, window, w, progress);
                p.used_blocks += n;
            } else {
                w.dont_care(n);
            }
        });
    }
    w.dont_care(total_blocks - sb.blocks_count);
    return p;
}

// Seekable, every block: holes of a regular file are DONT_CARE, the rest is read.
Produced seekable_all(const Input& in, uint64_t base, uint32_t bs, uint64_t total_blocks, SparseImageWriter& w,
                      const ProgressMeter& progress) {
    Window window;
    uint64_t b = 0;
    while (b < total_blocks && !w.full()) {
        uint64_t data_end = total_blocks;
        if (in.regular()) {
            const off_t data = lseek(in.fd(), static_cast<off_t>(base + b * bs), SEEK_DATA);
            if (data < 0 && errno != ENXIO) fail_io(in.name(), errno);
            const uint64_t data_block = data < 0 ? total_blocks : std::min(total_blocks, (data - base) / bs);
            if (data_block > b) {
                w.dont_care(data_block - b);
                b = data_block;
                continue;
            }
            const off_t hole = lseek(in.fd(), static_cast<off_t>(base + b * bs), SEEK_HOLE);
            if (hole < 0) fail_io(in.name(), errno);
            data_end = std::min(total_blocks, (hole - base + bs - 1) / bs);
            if (data_end <= b) data_end = b + 1;
        }
        copy_used(in, base, bs, b, data_end - b, window, w, progress);
        b = data_end;
    }
    return {total_blocks, 0, total_blocks};
}

namespace {

// A forward-only window on the partition: bytes are read at the tail, blocks consumed at the head.
// The buffer holds up to `capacity` bytes; it is allocated as the data comes (doubling), so a
// small input never costs the whole capacity.
class Fifo {
public:
    // The buffer is left uninitialised: pages never used are never resident.
    Fifo(Input& in, std::optional<uint64_t> limit, size_t capacity) : in_(in), limit_(limit), capacity_(capacity) {}

    // Bytes of the input already read by someone else, at the tail (the start of the partition).
    void preload(Bytes head) {
        if (head.empty()) return;  // no head (the usual case): buf_ may not exist yet
        while (allocated_ - tail_ < head.size()) grow();
        std::memcpy(buf_.get() + tail_, head.data(), head.size());
        tail_ += head.size();
        read_ += head.size();
        if (limit_ && read_ >= *limit_) eof_ = true;
    }

    // Reads up to `want` more bytes (fewer at the end of the partition); returns the count.
    // Pointers from at() are valid until the next read.
    size_t read(size_t want) {
        if (limit_) want = static_cast<size_t>(std::min<uint64_t>(want, *limit_ - read_));
        if (tail_ + want > capacity_ && head_ > 0) {
            std::memmove(buf_.get(), buf_.get() + head_, tail_ - head_);
            tail_ -= head_;
            head_ = 0;
        }
        want = std::min(want, capacity_ - tail_);
        size_t got = 0;
        while (got < want) {
            if (tail_ == allocated_) grow();
            const size_t n = std::min(want - got, allocated_ - tail_);
            const size_t k = in_.read(buf_.get() + tail_, n);
            tail_ += k;
            got += k;
            if (k < n) break;
        }
        read_ += got;
        if (got < want) eof_ = true;
        if (limit_ && read_ == *limit_) eof_ = true;
        return got;
    }
    size_t buffered() const { return tail_ - head_; }
    size_t room() const { return capacity_ - buffered(); }
    const uint8_t* at(size_t offset) const { return buf_.get() + head_ + offset; }
    void consume(size_t n) { head_ += n; }
    bool eof() const { return eof_; }
    uint64_t bytes_read() const { return read_; }
    // Reads and drops everything up to the end of the partition; returns the bytes dropped.
    uint64_t drain() {
        uint64_t n = buffered();
        head_ = tail_ = 0;
        while (!eof_) {
            const size_t got = read(capacity_);
            n += got;
            head_ = tail_ = 0;
        }
        return n;
    }

private:
    // Twice the room (64 KiB at first, `capacity` at most), the buffered bytes kept.
    void grow() {
        const size_t size = std::min(capacity_, std::max<size_t>(2 * allocated_, 64 * 1024));
        auto bigger = std::make_unique_for_overwrite<uint8_t[]>(size);
        if (tail_ > head_) std::memcpy(bigger.get() + head_, buf_.get() + head_, tail_ - head_);
        buf_ = std::move(bigger);
        allocated_ = size;
    }

    Input& in_;
    std::optional<uint64_t> limit_;
    std::unique_ptr<uint8_t[]> buf_;
    size_t capacity_, allocated_ = 0;
    size_t head_ = 0, tail_ = 0;
    uint64_t read_ = 0;
    bool eof_ = false;
};

}  // namespace

// A pipe with ext4: one forward pass (see the header comment).
class StreamExt4::Impl {
public:
    Impl(Input& in, std::optional<uint64_t> size, Notices& notices, Bytes head)
        : in_(in), size_(size), notices_(notices), fifo_(in, size, kLookAhead) {
        fifo_.preload(head);
        const size_t want = ext4::kSuperblockOffset + ext4::kSuperblockSize;
        if (fifo_.buffered() < want) fifo_.read(want - fifo_.buffered());
        if (fifo_.buffered() < ext4::kSuperblockOffset + ext4::kSuperblockSize) {
            fail_input(in.name(), "not an ext2/3/4 file system: only " + std::to_string(fifo_.buffered()) + " bytes");
        }
        sb_ = ext4::parse_superblock(Bytes(fifo_.at(ext4::kSuperblockOffset), ext4::kSuperblockSize), in.name());
        if (size_) ext4::check_fits(sb_, *size_, in.name());
        used_ = std::make_unique<ext4::UsedBlocks>(sb_);
    }
    const ext4::Superblock& super() const { return sb_; }

    Produced run(SparseImageWriter& w, const ProgressMeter& progress) {
        Produced p;
        p.fs_blocks = sb_.blocks_count;
        while (next_ < sb_.blocks_count) {
            observe_buffered();
            p.used_blocks += write_known(w, progress);
            if (next_ == sb_.blocks_count) break;
            read_more();
        }
        p.total_blocks = sb_.blocks_count + whole_blocks(fifo_.drain(), sb_.block_size, in_.name(), notices_);
        w.dont_care(p.total_blocks - sb_.blocks_count);
        if (size_ && fifo_.bytes_read() < *size_) {
            fail_input(in_.name(), "truncated: ends at byte " + std::to_string(fifo_.bytes_read()) +
                                       " of the partition, whose size is " + std::to_string(*size_));
        }
        return p;
    }

private:
    uint64_t fs_bytes() const { return sb_.blocks_count * sb_.block_size; }

    // Every block newly in the fifo is looked at once: descriptors and bitmaps are noted.
    void observe_buffered() {
        const uint32_t bs = sb_.block_size;
        const uint64_t in_fifo = next_ + fifo_.buffered() / bs;
        for (; observed_ < in_fifo; ++observed_) observe(observed_, Bytes(fifo_.at((observed_ - next_) * bs), bs));
    }

    // Writes the blocks at the head of the fifo whose status is known (or must be guessed: the
    // fifo is full, or the input has ended); returns how many of them were used.
    uint64_t write_known(SparseImageWriter& w, const ProgressMeter& progress) {
        const uint32_t bs = sb_.block_size;
        const bool all_read = fifo_.eof() || fifo_.bytes_read() >= fs_bytes();
        uint64_t used = 0;
        uint64_t run = 0;  // blocks of one status at the head of the fifo
        bool run_used = false;
        auto flush = [&] {
            if (run_used) {
                w.data(Bytes(fifo_.at(0), static_cast<size_t>(run * bs)));
                used += run;
            } else {
                w.dont_care(run);
            }
            fifo_.consume(static_cast<size_t>(run * bs));
            run = 0;
        };
        for (; next_ < observed_; ++next_) {
            int status = this->status(next_);
            if (status < 0 && next_ >= forced_until_) {
                if (!all_read) {
                    if (run) flush();
                    if (fifo_.room() >= bs) break;  // read on: the bitmap may come
                }
                forced_until_ = next_ + kReadBytes / bs;  // make room for a whole read
            }
            if (status < 0) status = guess_used(next_);
            if (run && (status == 1) != run_used) flush();
            run_used = status == 1;
            ++run;
            progress.update((next_ + 1) * bs);
        }
        if (run) flush();
        return used;
    }

    // A block whose bitmap has not come: kept as used, said once.
    int guess_used(uint64_t block) {
        if (!guessed_++) {
            notices_.push_back({Notice::Level::warning,
                                in_.name() + ": block bitmap of group " + std::to_string(ext4::group_of(sb_, block)) +
                                    " comes too late in the stream; its blocks are kept as if used"});
        }
        return 1;
    }

    void read_more() {
        if (fifo_.eof()) {
            ext4::check_fits(sb_, fifo_.bytes_read(), in_.name());
            fail_input(in_.name(), "truncated");  // not reached: check_fits fails first
        }
        fifo_.read(static_cast<size_t>(std::min<uint64_t>({kReadBytes, fs_bytes() - fifo_.bytes_read(), fifo_.room()})));
    }

    void observe(uint64_t block, Bytes data) {
        if (const auto index = ext4::descriptor_index(sb_, block)) {
            const uint32_t first = *index * sb_.descs_per_block;
            const auto descs = ext4::parse_descriptor_block(data, sb_, first, in_.name());
            for (uint32_t k = 0; k < descs.size(); ++k) {
                used_->add_group(first + k, descs[k]);
                if (used_->reads_bitmap(first + k)) bitmap_at_.emplace(descs[k].block_bitmap, first + k);
            }
        }
        for (auto [it, end] = bitmap_at_.equal_range(block); it != end; ++it) {
            const uint32_t g = it->second;
            if (g < group_ || (g == group_ && !bits_.empty())) continue;  // its blocks are out
            pending_[g].assign(data.begin(), data.end());
        }
    }

    // 1 used, 0 free, -1 not known yet.
    int status(uint64_t block) {
        if (block < sb_.first_data_block) return 1;
        const uint32_t g = ext4::group_of(sb_, block);
        if (g != group_ || bits_.empty()) {
            if (!used_->known(g)) return -1;
            Bytes disk;
            auto it = pending_.find(g);
            if (used_->reads_bitmap(g)) {
                if (it == pending_.end()) return -1;
                disk = it->second;
            }
            bits_ = used_->group_used(g, disk);
            group_ = g;
            if (it != pending_.end()) pending_.erase(it);
        }
        return ext4::test_bit(bits_, block - ext4::group_first_block(sb_, g));
    }

    Input& in_;
    std::optional<uint64_t> size_;
    Notices& notices_;
    Fifo fifo_;
    ext4::Superblock sb_;
    std::unique_ptr<ext4::UsedBlocks> used_;
    std::unordered_multimap<uint64_t, uint32_t> bitmap_at_; // bitmap block -> group
    std::map<uint32_t, std::vector<uint8_t>> pending_;      // bitmaps seen, group not reached
    uint32_t group_ = 0;
    std::vector<uint8_t> bits_;
    uint64_t observed_ = 0;      // blocks looked at (observe)
    uint64_t next_ = 0;          // the first block not yet written
    uint64_t guessed_ = 0;
    uint64_t forced_until_ = 0;  // blocks before this are kept as used without waiting
};

// A pipe, every block.
Produced stream_all(Input& in, std::optional<uint64_t> size, uint32_t bs, SparseImageWriter& w, const ProgressMeter& progress,
                    Notices& notices, Bytes head) {
    Fifo fifo(in, size, std::max(kReadBytes, head.size()));
    fifo.preload(head);
    uint64_t blocks = 0;
    while (!fifo.eof()) {
        fifo.read(fifo.room());
        const size_t whole = fifo.buffered() / bs * bs;
        w.data(Bytes(fifo.at(0), whole));
        fifo.consume(whole);
        blocks += whole / bs;
        progress.update(blocks * bs);
    }
    if (size && fifo.bytes_read() < *size) {
        fail_input(in.name(), "truncated: ends at byte " + std::to_string(fifo.bytes_read()) +
                                  " of the partition, whose size is " + std::to_string(*size));
    }
    whole_blocks(fifo.buffered(), bs, in.name(), notices);
    return {blocks, 0, blocks};
}

namespace {

// The counts of one run of a super into the split rows of its owners ("(unallocated)", the last
// row, when it has none).
void account(std::vector<lp::SplitRow>* rows, const std::vector<uint32_t>& owners, uint64_t count, bool used,
             uint64_t raw, uint64_t fill) {
    if (!rows || rows->empty()) return;
    auto add = [&](lp::SplitRow& r) {
        r.blocks += count;
        if (used) {
            r.used += count;
            r.raw += raw;
            r.fill += fill;
        } else {
            r.dont_care += count;
        }
    };
    if (owners.empty()) add(rows->back());
    for (uint32_t o : owners) add((*rows)[o]);
}

// Runs `write` (which hands a used run to `w`) and tells apart what it became.
template <typename F>
void counted(SparseImageWriter& w, std::vector<lp::SplitRow>* rows, const std::vector<uint32_t>& owners, uint64_t count,
             F write) {
    const uint64_t raw = w.blocks_of(sparse::ChunkType::raw), fill = w.blocks_of(sparse::ChunkType::fill);
    write();
    account(rows, owners, count, true, w.blocks_of(sparse::ChunkType::raw) - raw,
            w.blocks_of(sparse::ChunkType::fill) - fill);
}

}  // namespace

// A super from a file: the used runs only.  Each run is announced to the kernel before it is
// copied (POSIX_FADV_WILLNEED), so a cold input is read ahead within a run.
Produced seekable_super(const Input& in, uint64_t base, const lp::SuperMap& map, SparseImageWriter& w,
                        const ProgressMeter& progress, std::vector<lp::SplitRow>* rows) {
    constexpr uint32_t bs = lp::kSuperBlockBytes;
    Window window;
    Produced p{map.blocks(), 0, 0};
    map.runs(0, map.blocks(), [&](uint64_t first, uint64_t count, bool used, const std::vector<uint32_t>& owners) {
        if (w.full()) return false;
        if (!used) {
            w.dont_care(count);
            account(rows, owners, count, false, 0, 0);
            return true;
        }
        posix_fadvise(in.fd(), static_cast<off_t>(base + first * bs), static_cast<off_t>(count * bs), POSIX_FADV_WILLNEED);
        counted(w, rows, owners, count, [&] { copy_used(in, base, bs, first, count, window, w, progress); });
        p.used_blocks += count;
        return true;
    });
    return p;
}

// A super from a pipe: `head`, then the input, forward.
Produced stream_super(Input& in, Bytes head, const lp::SuperMap& map, bool to_end, SparseImageWriter& w,
                      const ProgressMeter& progress, Notices& notices, std::vector<lp::SplitRow>* rows) {
    constexpr uint32_t bs = lp::kSuperBlockBytes;
    Window window;
    Produced p{map.blocks(), 0, 0};
    uint64_t at = 0;  // bytes of super passed
    const uint64_t end = map.blocks() * bs;
    auto truncated = [&] {
        fail_input(in.name(), "truncated: ends at byte " + std::to_string(at) + " of the super partition, whose size is " +
                                  std::to_string(end));
    };
    // The next `n` bytes (whole blocks) handed to `w` as data, or passed over.
    auto take = [&](uint64_t n, bool used) {
        while (n > 0) {
            Bytes piece;
            if (at < head.size()) {
                piece = head.subspan(static_cast<size_t>(at), static_cast<size_t>(std::min<uint64_t>(n, head.size() - at)));
            } else if (used) {
                piece = window.next(in, static_cast<size_t>(std::min<uint64_t>(n, kReadBytes)));
            } else {
                in.skip(n);  // a truncation Failure of its own
                at += n;
                return;
            }
            if (piece.size() % bs) {
                at += piece.size();
                truncated();
            }
            if (piece.empty()) truncated();
            if (used) w.data(piece);
            at += piece.size();
            n -= piece.size();
            progress.update(at);
        }
    };
    map.runs(0, map.blocks(), [&](uint64_t, uint64_t count, bool used, const std::vector<uint32_t>& owners) {
        if (used) {
            counted(w, rows, owners, count, [&] { take(count * bs, true); });
            p.used_blocks += count;
        } else {
            take(count * bs, false);
            w.dont_care(count);
            account(rows, owners, count, false, 0, 0);
        }
        return true;
    });
    if (to_end) {
        // After the LP block device: no extent, whatever the bytes.
        uint64_t rest = 0;
        for (Bytes piece; !(piece = window.next(in, kReadBytes)).empty();) rest += piece.size();
        const uint64_t extra = whole_blocks(rest, bs, in.name(), notices);
        w.dont_care(extra);
        account(rows, {}, extra, false, 0, 0);
        p.total_blocks += extra;
    }
    return p;
}

StreamExt4::StreamExt4(Input& in, std::optional<uint64_t> size, Notices& notices, Bytes head)
    : impl_(std::make_unique<Impl>(in, size, notices, head)) {}
StreamExt4::StreamExt4(StreamExt4&&) noexcept = default;
StreamExt4::~StreamExt4() = default;
const ext4::Superblock& StreamExt4::super() const { return impl_->super(); }
Produced StreamExt4::run(SparseImageWriter& w, const ProgressMeter& progress) { return impl_->run(w, progress); }

}  // namespace mtkfw
