#include "ops/sparse_encode.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include "io/window.h"
#include "ops/ext4_volume.h"
#include "ops/sparse_writer.h"

namespace mtkfw {
namespace {

using sparse::SparseImageWriter;
constexpr size_t kReadBytes = 4u << 20;  // one read of used blocks

// What a producer learned, for the report.
struct Produced {
    uint64_t total_blocks = 0, fs_blocks = 0, used_blocks = 0;
};

uint64_t whole_blocks(uint64_t bytes, uint32_t blk_sz, const std::string& what, Notices& notices) {
    if (bytes % blk_sz) {
        notices.push_back({Notice::Level::warning,
                            what + ": the last " + std::to_string(bytes % blk_sz) + " bytes do not fill a " +
                                std::to_string(blk_sz) + "-byte block and are left out of the image"});
    }
    return bytes / blk_sz;
}

// Reads blocks [first, first+count) of the partition at `base` and hands them to the writer
// (through Window: no copy when they are in the page cache); stops early when a planner is full.
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

// A forward-only window on the partition: bytes are read at the tail, blocks consumed at the head.
class Fifo {
public:
    // The buffer is left uninitialised: pages never used are never resident.
    Fifo(Input& in, std::optional<uint64_t> limit, size_t capacity)
        : in_(in), limit_(limit), buf_(std::make_unique_for_overwrite<uint8_t[]>(capacity)), capacity_(capacity) {}

    // Reads up to `want` more bytes (fewer at the end of the partition); returns the count.
    size_t read(size_t want) {
        if (limit_) want = static_cast<size_t>(std::min<uint64_t>(want, *limit_ - read_));
        if (tail_ + want > capacity_) {
            std::memmove(buf_.get(), buf_.get() + head_, tail_ - head_);
            tail_ -= head_;
            head_ = 0;
        }
        want = std::min(want, capacity_ - tail_);
        const size_t got = in_.read(buf_.get() + tail_, want);
        tail_ += got;
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
    Input& in_;
    std::optional<uint64_t> limit_;
    std::unique_ptr<uint8_t[]> buf_;
    size_t capacity_;
    size_t head_ = 0, tail_ = 0;
    uint64_t read_ = 0;
    bool eof_ = false;
};

// A pipe with ext4: one forward pass (see the header comment).
class StreamExt4 {
public:
    StreamExt4(Input& in, std::optional<uint64_t> size, Notices& notices)
        : in_(in), size_(size), notices_(notices), fifo_(in, size, kLookAhead) {
        fifo_.read(ext4::kSuperblockOffset + ext4::kSuperblockSize);
        if (fifo_.buffered() < ext4::kSuperblockOffset + ext4::kSuperblockSize) {
            fail_input(in.name(), "not an ext2/3/4 file system: only " + std::to_string(fifo_.buffered()) + " bytes");
        }
        sb_ = ext4::parse_superblock(Bytes(fifo_.at(ext4::kSuperblockOffset), ext4::kSuperblockSize), in.name());
        if (size_) ext4::check_fits(sb_, *size_, in.name());
        used_ = std::make_unique<ext4::UsedBlocks>(sb_);
    }
    const ext4::Superblock& super() const { return sb_; }

    Produced run(SparseImageWriter& w, const ProgressMeter& progress) {
        const uint32_t bs = sb_.block_size;
        uint64_t observed = 0, next = 0;
        Produced p;
        p.fs_blocks = sb_.blocks_count;
        while (next < sb_.blocks_count) {
            const uint64_t in_fifo = next + fifo_.buffered() / bs;
            for (; observed < in_fifo; ++observed) observe(observed, Bytes(fifo_.at((observed - next) * bs), bs));
            const uint64_t fs_bytes = sb_.blocks_count * bs;
            const bool all_read = fifo_.eof() || fifo_.bytes_read() >= fs_bytes;
            uint64_t run = 0;  // blocks of one status at the head of the fifo
            bool run_used = false;
            auto flush = [&] {
                if (run_used) {
                    w.data(Bytes(fifo_.at(0), static_cast<size_t>(run * bs)));
                    p.used_blocks += run;
                } else {
                    w.dont_care(run);
                }
                fifo_.consume(static_cast<size_t>(run * bs));
                run = 0;
            };
            for (; next < observed; ++next) {
                int status = this->status(next);
                if (status < 0 && next >= forced_until_) {
                    if (!all_read) {
                        if (run) flush();
                        if (fifo_.room() >= bs) break;  // read on: the bitmap may come
                    }
                    forced_until_ = next + kReadBytes / bs;  // make room for a whole read
                }
                if (status < 0) {
                    status = 1;
                    if (!guessed_++) {
                        notices_.push_back({Notice::Level::warning,
                                             in_.name() + ": block bitmap of group " + std::to_string(ext4::group_of(sb_, next)) +
                                                 " comes too late in the stream; its blocks are kept as if used"});
                    }
                }
                if (run && (status == 1) != run_used) flush();
                run_used = status == 1;
                ++run;
                progress.update((next + 1) * bs);
            }
            if (run) flush();
            if (next == sb_.blocks_count) break;
            if (fifo_.eof()) {
                ext4::check_fits(sb_, fifo_.bytes_read(), in_.name());
                fail_input(in_.name(), "truncated");  // not reached: check_fits fails first
            }
            fifo_.read(static_cast<size_t>(std::min<uint64_t>({kReadBytes, fs_bytes - fifo_.bytes_read(), fifo_.room()})));
        }
        const uint64_t rest = fifo_.drain();
        p.total_blocks = sb_.blocks_count + whole_blocks(rest, bs, in_.name(), notices_);
        w.dont_care(p.total_blocks - sb_.blocks_count);
        if (size_ && fifo_.bytes_read() < *size_) {
            fail_input(in_.name(), "truncated: ends at byte " + std::to_string(fifo_.bytes_read()) +
                                       " of the partition, whose size is " + std::to_string(*size_));
        }
        return p;
    }

private:
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
    uint64_t guessed_ = 0;
    uint64_t forced_until_ = 0;  // blocks before this are kept as used without waiting
};

// A pipe, every block.
Produced stream_all(Input& in, std::optional<uint64_t> size, uint32_t bs, SparseImageWriter& w, const ProgressMeter& progress,
                    Notices& notices) {
    Fifo fifo(in, size, kReadBytes);
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

void copy_scratch(Output& scratch, Output& out, uint64_t bytes) {
    std::vector<uint8_t> buf(kReadBytes);
    for (uint64_t at = 0; at < bytes;) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), bytes - at));
        const size_t got = read_full(scratch.fd(), buf.data(), want, at, scratch.name());
        if (got == 0) fail_io(scratch.name(), EIO);
        out.write(buf.data(), got);
        at += got;
    }
}

// The partition's length in a seekable input, checked against the input's end.
uint64_t seekable_partition_bytes(const Input& in, const EncodeOptions& o) {
    if (o.offset > in.size()) {
        fail_input(in.name(), "the partition's offset " + std::to_string(o.offset) + " is past the end of the input (" +
                                  std::to_string(in.size()) + " bytes)");
    }
    const uint64_t bytes = o.size.value_or(in.size() - o.offset);
    if (bytes > in.size() - o.offset) {
        // Not offset + size: that may wrap around 2^64.
        fail_input(in.name(), "truncated: the partition (" + std::to_string(bytes) + " bytes from byte " +
                                  std::to_string(o.offset) + ") runs past the end of the input (" +
                                  std::to_string(in.size()) + " bytes; " +
                                  std::to_string(bytes - (in.size() - o.offset)) + " missing)");
    }
    return bytes;
}

// What the pass reads: the input, where the partition lies, the file system if there is one.
class Source {
public:
    Source(Input& in, const EncodeOptions& o, Notices& notices) : in_(in), o_(o), notices_(notices) {
        if (in.seekable()) {
            total_bytes_ = seekable_partition_bytes(in, o);
            if (!o.all_blocks) volume_.emplace(ext4::Volume::open(in, o.offset, total_bytes_));
        } else {
            in.skip(o.offset);
            if (!o.all_blocks) stream_.emplace(in, o.size, notices);
        }
        if (volume_) bs_ = volume_->super().block_size;
        if (stream_) bs_ = stream_->super().block_size;
        // Every block: a smaller block size rather than lose the tail of an odd-sized partition.
        const std::optional<uint64_t> known = in.seekable() ? std::optional<uint64_t>(total_bytes_) : o.size;
        while (o.all_blocks && known && *known % bs_ && bs_ > 512) bs_ /= 2;
        if (in.seekable()) total_blocks_ = whole_blocks(total_bytes_, bs_, in.name(), notices);
    }

    uint32_t block_size() const { return bs_; }
    std::string label() const {
        if (volume_) return volume_->super().label;
        return stream_ ? stream_->super().label : std::string();
    }
    // The bytes the pass covers, for progress: known up front only for a seekable input or --size.
    uint64_t expected_bytes() const { return in_.seekable() ? total_bytes_ : o_.size.value_or(0); }

    // One pass over the partition into `w`.
    Produced produce(SparseImageWriter& w, const ProgressMeter& progress) {
        if (volume_) return seekable_ext4(*volume_, total_blocks_, w, progress);
        if (stream_) return stream_->run(w, progress);
        if (in_.seekable()) return seekable_all(in_, o_.offset, bs_, total_blocks_, w, progress);
        return stream_all(in_, o_.size, bs_, w, progress, notices_);
    }

    // Writes the RAW data of blocks [first, first + count) to `out` (a planned image's second pass).
    void copy_blocks(Output& out, uint64_t first, uint64_t count, Window& window) const {
        while (count > 0) {
            const uint64_t k = std::min<uint64_t>(count, kReadBytes / bs_);
            const Bytes data = window.at(in_, o_.offset + first * bs_, static_cast<size_t>(k * bs_));
            out.write(data.data(), data.size());
            first += k;
            count -= k;
        }
    }

private:
    Input& in_;
    const EncodeOptions& o_;
    Notices& notices_;
    uint32_t bs_ = 4096;  // with all_blocks; else the file system's
    std::optional<ext4::Volume> volume_;
    std::optional<StreamExt4> stream_;
    uint64_t total_bytes_ = 0, total_blocks_ = 0;  // seekable only
};

// A regular-file output: headers patched in place.
sparse::Summary write_patched(Source& source, Output& target, const ProgressMeter& progress, Produced* p) {
    SparseImageWriter w(target, source.block_size());
    *p = source.produce(w, progress);
    return w.finish();
}

// A pipe from a seekable input: a planning pass, then the image written from the plan.  False
// (nothing written) when the plan outgrows kMaxPlanChunks.
bool write_from_plan(Source& source, Output& out, const ProgressMeter& progress, Produced* p, sparse::Summary* s) {
    SparseImageWriter plan = SparseImageWriter::planner(source.block_size(), kMaxPlanChunks);
    *p = source.produce(plan, progress);
    if (plan.full()) return false;
    plan.finish();
    Window window;  // the plan's pass left the data in the page cache: mapped, not copied
    *s = sparse::write_planned(out, source.block_size(), plan.plan(), [&](uint64_t first, uint64_t count) {
        source.copy_blocks(out, first, count, window);
    });
    return true;
}

}  // namespace

EncodeReport encode_sparse(Input& in, Output& out, const EncodeOptions& o, Notices& notices) {
    Source source(in, o, notices);
    const ProgressMeter progress(o.progress, source.expected_bytes());
    EncodeReport report;
    report.file_system = !o.all_blocks;
    report.label = source.label();
    Produced p;
    if (out.regular()) {
        report.sparse = write_patched(source, out, progress, &p);
        report.method = "patched";
    } else if (in.seekable() && write_from_plan(source, out, progress, &p, &report.sparse)) {
        report.method = "planned";
    } else {
        if (in.seekable()) {
            notices.push_back({Notice::Level::info, "more than " + std::to_string(kMaxPlanChunks) +
                                                        " chunks: building the image in " + o.scratch_folder});
        }
        Output scratch = Output::scratch(o.scratch_folder);
        report.sparse = write_patched(source, scratch, progress, &p);
        copy_scratch(scratch, out, report.sparse.file_bytes);
        report.method = "spooled";
    }
    report.partition_bytes = p.total_blocks * source.block_size();
    report.fs_blocks = p.fs_blocks;
    report.used_blocks = p.used_blocks;
    return report;
}

}  // namespace mtkfw
