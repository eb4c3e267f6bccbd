#include "ops/sparse_encode.h"

#include <cerrno>
#include <optional>
#include <vector>

#include "io/fd.h"
#include "io/window.h"
#include "ops/block_source.h"
#include "ops/ext4_volume.h"
#include "ops/sparse_writer.h"

namespace mtkfw {
namespace {

using sparse::SparseImageWriter;

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
