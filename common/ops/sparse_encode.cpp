#include "ops/sparse_encode.h"

#include <cerrno>
#include <optional>
#include <vector>

#include "io/fd.h"
#include "io/window.h"
#include "ops/block_source.h"
#include "ops/ext4_volume.h"
#include "ops/f2fs_source.h"
#include "ops/sparse_writer.h"
#include "ops/super_map.h"

namespace mtkfw {
namespace {

using sparse::SparseImageWriter;

// A super read from a pipe: its metadata area is read ahead whole (AOSP builds: 12 KiB + 2 x
// slots x 64 KiB); a larger one is refused rather than buffered.
constexpr uint64_t kPipeMetadataBytes = 16u << 20;
// Without --size, the extents of a piped super are checked against this (1 TiB, past any
// super); the LP block device's own size then says how long super is.
constexpr uint64_t kPipeSuperSpan = 1ull << 40;

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
            if (!o.all_blocks && total_bytes_ >= 4) {
                uint8_t magic[4];
                in.read_at(magic, sizeof magic, o.offset);
                refuse_sparse(Bytes(magic, sizeof magic), in.name());
            }
            if (!o.all_blocks) map_ = lp::SuperMap::detect(in, o.offset, total_bytes_, notices);
            if (!o.all_blocks && !map_ && f2fs::looks_like_f2fs(in, o.offset, total_bytes_)) {
                f2fs_.emplace(f2fs::read_map(in, o.offset, total_bytes_, notices));
            } else if (!o.all_blocks && !map_) {
                volume_.emplace(ext4::Volume::open(in, o.offset, total_bytes_));
            }
        } else {
            in.skip(o.offset);
            if (!o.all_blocks && !open_pipe_super()) {
                read_head(std::min<uint64_t>(2 * f2fs::kBlockSize, o.size.value_or(UINT64_MAX)));
                if (f2fs::has_f2fs_magic(Bytes(head_))) {
                    f2fs_stream_.emplace(in, o.size, notices, Bytes(head_));
                } else {
                    stream_.emplace(in, o.size, notices, Bytes(head_));
                }
            }
        }
        if (volume_) bs_ = volume_->super().block_size;
        if (stream_) bs_ = stream_->super().block_size;
        // Every block: a smaller block size rather than lose the tail of an odd-sized partition.
        const std::optional<uint64_t> known = in.seekable() ? std::optional<uint64_t>(total_bytes_) : o.size;
        while (o.all_blocks && known && *known % bs_ && bs_ > 512) bs_ /= 2;
        if (map_) {
            total_blocks_ = map_->blocks();
        } else if (f2fs_) {
            total_blocks_ = whole_blocks(total_bytes_, bs_, in.name(), notices);
        } else if (in.seekable()) {
            total_blocks_ = whole_blocks(total_bytes_, bs_, in.name(), notices);
        }
    }

    uint32_t block_size() const { return bs_; }
    std::string label() const {
        if (map_) return map_->label();
        if (volume_) return volume_->super().label;
        if (f2fs_) return f2fs_->super().label;
        if (f2fs_stream_) return f2fs_stream_->super().label;
        return stream_ ? stream_->super().label : std::string();
    }
    bool f2fs() const { return f2fs_ || f2fs_stream_; }
    // The main-area blocks the SIT marks valid (a pipe: known after the pass).
    uint64_t f2fs_valid_blocks() const {
        if (f2fs_) return f2fs_->valid_blocks();
        return f2fs_stream_ && f2fs_stream_->map() ? f2fs_stream_->map()->valid_blocks() : 0;
    }
    // The bytes the pass covers, for progress: known up front only for a seekable input or --size.
    uint64_t expected_bytes() const { return in_.seekable() ? total_bytes_ : o_.size.value_or(0); }

    // One pass over the partition into `w`.
    Produced produce(SparseImageWriter& w, const ProgressMeter& progress) {
        if (map_) {
            rows_ = map_->split_rows();  // a second pass (after a plan too large) counts afresh
            if (in_.seekable()) return seekable_super(in_, o_.offset, *map_, w, progress, &rows_);
            return stream_super(in_, Bytes(head_), *map_, !o_.size, w, progress, notices_, &rows_);
        }
        if (volume_) return seekable_ext4(*volume_, total_blocks_, w, progress);
        if (f2fs_) return seekable_f2fs(in_, o_.offset, *f2fs_, total_blocks_, w, progress);
        if (f2fs_stream_) return f2fs_stream_->run(w, progress);
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

    bool super() const { return map_.has_value(); }
    const std::vector<lp::SplitRow>& rows() const { return rows_; }

private:
    // A pipe: its first bytes read to see whether they are LP metadata (lp::looks_like_super, on
    // an in-memory copy), and if so the whole metadata area read (read_super on that copy).
    // They stay in head_, for the pass.  False (head_ then holds what was read) when no super.
    bool open_pipe_super() {
        read_head(std::min<uint64_t>(lp::kMetadataOffset, o_.size.value_or(UINT64_MAX)));
        if (head_.size() >= 4) refuse_sparse(Bytes(head_.data(), 4), in_.name());
        const std::string& name = in_.name();
        {
            const Input probe = Input::memory(name, head_.data(), head_.size(), head_.size());
            if (!lp::looks_like_super(probe, 0, probe.size())) return false;
        }
        // The metadata area as either geometry gives it (the larger): read_super picks the one.
        uint64_t need = head_.size();
        for (const uint64_t at : {lp::kGeometryOffset, lp::kBackupGeometryOffset}) {
            if (head_.size() < at + lp::kGeometrySize) continue;
            try {
                const lp::Geometry g = lp::parse_geometry(Bytes(head_.data() + at, lp::kGeometrySize), name);
                need = std::max<uint64_t>(need, lp::kMetadataOffset + 2ull * g.metadata_slot_count * g.metadata_max_size);
            } catch (const Failure&) {
                // read_super says what is wrong with it
            }
        }
        need = (need + lp::kSuperBlockBytes - 1) / lp::kSuperBlockBytes * lp::kSuperBlockBytes;
        if (need > kPipeMetadataBytes) {
            fail_input(name, "LP metadata of " + std::to_string(need) + " bytes: more than the " +
                                 std::to_string(kPipeMetadataBytes) + " bytes read ahead from a pipe",
                       Remedy::copy_every_block);
        }
        if (o_.size) need = std::min(need, *o_.size);
        read_head(need);
        // The copy is as long as the partition (holes past the metadata), so read_super checks
        // every extent against it; without --size the LP block device says how long super is.
        const uint64_t span = o_.size.value_or(kPipeSuperSpan);
        const Input copy = Input::memory(name, head_.data(), head_.size(), span);
        uint64_t size = span;
        if (!o_.size) {
            // A first reading only for the LP block device's size; the second checks against it.
            Notices first;
            size = std::min(span, lp::read_super(copy, 0, span, first).slots.at(0).block_devices.at(0).size);
        }
        lp::Super super = lp::read_super(copy, 0, size, notices_);
        notices_.push_back({Notice::Level::info,
                            name + ": a super read from a pipe: every block of every extent is kept (the free blocks "
                                   "of an ext4 inside cannot be known before its bitmaps come); given as a file, they "
                                   "are left out"});
        map_.emplace(lp::SuperMap::open(copy, std::move(super), lp::SuperMap::Contents::whole, notices_));
        return true;
    }

    // Reads forward until head_ holds `n` bytes (fewer at the end of the input).
    void read_head(uint64_t n) {
        const size_t had = head_.size();
        if (n <= had) return;
        head_.resize(static_cast<size_t>(n));
        head_.resize(had + in_.read(head_.data() + had, head_.size() - had));
    }

    Input& in_;
    const EncodeOptions& o_;
    Notices& notices_;
    uint32_t bs_ = 4096;  // with all_blocks or a super; else the file system's
    std::vector<uint8_t> head_;  // a pipe's first bytes, read before the pass
    std::optional<lp::SuperMap> map_;
    std::vector<lp::SplitRow> rows_;
    std::optional<ext4::Volume> volume_;
    std::optional<StreamExt4> stream_;
    std::optional<f2fs::Map> f2fs_;
    std::optional<StreamF2fs> f2fs_stream_;
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

void refuse_sparse(Bytes first, const std::string& name) {
    if (first.size() >= 4 && le32(first, 0) == sparse::kMagic) {
        fail_input(name, "already an Android sparse image, not a raw partition or super", Remedy::expand_sparse);
    }
}

EncodeReport encode_sparse(Input& in, Output& out, const EncodeOptions& o, Notices& notices) {
    Source source(in, o, notices);
    const ProgressMeter progress(o.progress, source.expected_bytes());
    EncodeReport report;
    report.file_system = !o.all_blocks && !source.super();
    report.f2fs = source.f2fs();
    report.super = source.super();
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
    report.partitions = source.rows();
    report.f2fs_valid_blocks = source.f2fs_valid_blocks();
    return report;
}

}  // namespace mtkfw
