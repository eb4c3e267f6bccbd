#include "io/copy.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "base/bytes.h"
#include "base/failure.h"
#include "base/number.h"

namespace mtkfw {
namespace {

constexpr size_t kBufferBytes = 1 << 20;       // the read/write loop's buffer
constexpr uint64_t kBlock = 4096;              // zero detection grain, aligned in the output
constexpr uint64_t kMaxTransfer = 0x7ffff000;  // the most Linux moves in one read/write/sendfile
constexpr uint64_t kMaxKernelRun = 64 << 20;   // copy_file_range calls between progress updates
static_assert(kPieceBytes % kBlock == 0 && kBufferBytes % kPieceBytes == 0);

std::string u64(uint64_t v) { return std::to_string(v); }

[[noreturn]] void fail_missing(const Input& in, const std::string& what, uint64_t offset, uint64_t size,
                               uint64_t input_end) {
    fail_input(in.name(), what + " runs past the end of the input: " + u64(offset + size - input_end) +
                              " bytes missing (it needs bytes " + u64(offset) + " to " + u64(offset + size) +
                              ", the input ends at " + u64(input_end) + "; is the readback complete?)");
}

// Feeds data and known holes to an Output in order.  In a regular file, runs of zero blocks of
// at least kMinZeroRun bytes and every input hole are skipped (holes); shorter zero runs are
// written with the data around them.  Other outputs get every byte.
class HoleWriter {
public:
    explicit HoleWriter(Output& out) : out_(out), sparse_(out.regular()), base_(out.position()) {}

    void data(const uint8_t* p, size_t n) {
        if (!sparse_) {
            out_.write(p, n);
            return;
        }
        const uint8_t* run = p;  // first byte not yet written or counted as zeros
        size_t run_len = 0;      // data (with absorbed short zero runs) from `run`
        size_t zeros_here = 0;   // bytes of the pending zero run that lie in this buffer
        for (size_t at = 0; at < n;) {
            const size_t k = static_cast<size_t>(std::min<uint64_t>(n - at, kBlock - (base_ + fed_) % kBlock));
            if (all_equal(Bytes(p + at, k), 0)) {
                zeros_ += k;
                zeros_here += k;
            } else {
                if (zeros_ > 0) {
                    if (zeros_ == zeros_here && zeros_ < kMinZeroRun && !hole_in_zeros_) {
                        run_len += zeros_;  // short and in memory: write it with the data
                        zeros_ = 0;
                    } else {
                        out_.write(run, run_len);
                        settle();
                        run = p + at;
                        run_len = 0;
                    }
                    zeros_here = 0;
                }
                run_len += k;
            }
            at += k;
            fed_ += k;
        }
        out_.write(run, run_len);
    }

    void hole(uint64_t n) {
        fed_ += n;
        if (!sparse_) {
            out_.skip_zeros(n);
            return;
        }
        zeros_ += n;
        hole_in_zeros_ = true;
    }

    // Ends a pending zero run as a hole, before bytes are written to out.fd() directly.
    void flush() {
        if (zeros_ > 0) hole_in_zeros_ = true;
        settle();
    }

    void finish() { flush(); }
    uint64_t hole_bytes() const { return holes_; }
    uint64_t base() const { return base_; }
    void fed_directly(uint64_t n) { fed_ += n; }

private:
    void settle() {
        static const std::array<uint8_t, kMinZeroRun> zeros{};
        if (zeros_ == 0) return;
        if (zeros_ >= kMinZeroRun || hole_in_zeros_) {
            out_.skip_zeros(zeros_);
            holes_ += zeros_;
        } else {
            out_.write(zeros.data(), static_cast<size_t>(zeros_));
        }
        zeros_ = 0;
        hole_in_zeros_ = false;
    }

    Output& out_;
    const bool sparse_;
    const uint64_t base_;
    uint64_t fed_ = 0;       // bytes given so far (data and holes)
    uint64_t zeros_ = 0;     // pending zero run, not yet written or skipped
    bool hole_in_zeros_ = false;
    uint64_t holes_ = 0;
};

// File systems whose copy_file_range shares extents or copies on the server: there the
// whole extent goes to the kernel, zeros included (shared zeros cost no disk).
bool offloads_copies(int fd) {
    struct statfs fs;
    if (fstatfs(fd, &fs) != 0) return false;
    switch (static_cast<unsigned long>(fs.f_type)) {
        case BTRFS_SUPER_MAGIC:
        case XFS_SUPER_MAGIC:
        case NFS_SUPER_MAGIC:
        case SMB2_SUPER_MAGIC:
        case CIFS_SUPER_MAGIC:
        case 0x00C36400:  // Ceph
        case 0xCA451A4E:  // bcachefs
        case 0x2FC12FC1:  // ZFS (block cloning)
            return true;
        default:
            return false;
    }
}

bool is_fifo(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

// The system call cannot do this pair of files: fall back to a slower path.
bool unsupported(int err) { return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP || err == EXDEV; }

class Copier {
public:
    Copier(Input& in, uint64_t offset, uint64_t size, Output& out, const std::string& what, const ProgressFn& progress)
        : in_(in), offset_(offset), size_(size), end_(offset + size), out_(out), what_(what), progress_(progress, size),
          writer_(out), kernel_ok_(in.regular()) {}

    CopyReport run() {
        if (in_.seekable()) {
            check_range(in_, offset_, size_, what_);
            if (out_.regular()) extents();
            else if (!send()) buffered(offset_);
        } else {
            skip_to_offset();
            if (!(is_fifo(in_.fd()) && is_fifo(out_.fd()) && splice_pipes())) buffered(offset_);
        }
        writer_.finish();
        progress_.update(size_);
        report_.bytes = size_;
        report_.hole_bytes = writer_.hole_bytes();
        return report_;
    }

private:
    void done_to(uint64_t pos) { progress_.update(pos - offset_); }

    // Regular output from a seekable input: walk data extents and holes.
    void extents() {
        const bool share = offloads_copies(out_.fd()) && in_.regular();
        uint64_t pos = offset_;
        while (pos < end_) {
            const uint64_t data = seek(pos, SEEK_DATA);
            if (data > pos) {
                writer_.hole(data - pos);
                pos = data;
                done_to(pos);
                continue;
            }
            const uint64_t stop = std::max(seek(pos, SEEK_HOLE), pos + 1);
            if (share) kernel_extent(pos, stop);
            else probed_extent(pos, stop);
            pos = stop;
        }
    }

    // One data extent, piece by piece (kPieceBytes, aligned in the output): a piece whose first
    // block holds data joins a run copied by copy_file_range; a piece that starts with a zero
    // block is read and scanned, so its zero runs become holes.
    void probed_extent(uint64_t pos, uint64_t stop) {
        uint64_t run = pos;  // start of the pending kernel copy
        while (pos < stop) {
            const uint64_t out_pos = pos - offset_ + writer_.base();
            const uint64_t piece_end = std::min(stop, pos + kPieceBytes - out_pos % kPieceBytes);
            const size_t probe = static_cast<size_t>(std::min(piece_end - pos, kBlock - out_pos % kBlock));
            if (kernel_ok_ && !all_equal(Bytes(buf_.data(), read_input(buf_.data(), probe, pos)), 0)) {
                pos = piece_end;
                if (pos - run >= kMaxKernelRun) run = kernel_extent(run, pos);
                continue;
            }
            kernel_extent(run, pos);
            read_extent(pos, piece_end);
            run = pos = piece_end;
        }
        kernel_extent(run, stop);
    }

    // copy_file_range of [pos, stop), else (not for these files) read and scan.  Returns stop.
    uint64_t kernel_extent(uint64_t pos, uint64_t stop) {
        if (pos >= stop) return stop;
        writer_.flush();
        kernel_ok_ = kernel_ok_ && kernel_copy(pos, stop, "copy_file_range", [&](uint64_t at, size_t want) {
            loff_t in_off = static_cast<loff_t>(at);
            return copy_file_range(in_.fd(), &in_off, out_.fd(), nullptr, want, 0);
        });
        if (!kernel_ok_) read_extent(pos, stop);
        return stop;
    }

    // Next data or hole at or after `pos`, clamped to the range end; a device (no hole support)
    // is all data.
    uint64_t seek(uint64_t pos, int whence) {
        const off_t r = lseek(in_.fd(), static_cast<off_t>(pos), whence);
        if (r < 0) {
            if (errno == ENXIO) return end_;  // nothing but hole after pos
            if (errno == EINVAL) return whence == SEEK_DATA ? pos : end_;
            fail_io(in_.name(), errno);
        }
        return std::min(static_cast<uint64_t>(r), end_);
    }

    // Runs a kernel copy call over input bytes [from, to): `step(pos, want)` moves up to `want`
    // bytes from input position `pos` to the output's file position, returning the count or -1
    // and errno.  False, with nothing copied, when the kernel cannot do it for these files.
    template <class Step>
    bool kernel_copy(uint64_t from, uint64_t to, const char* method, Step step) {
        uint64_t pos = from;
        while (pos < to) {
            const ssize_t n = step(pos, static_cast<size_t>(std::min<uint64_t>(to - pos, kMaxTransfer)));
            if (n < 0) {
                if (errno == EINTR) continue;
                if (unsupported(errno) && pos == from) return false;
                fail_io(out_.name(), errno);
            }
            if (n == 0) fail_missing(in_, what_, offset_, size_, pos);
            pos += static_cast<uint64_t>(n);
            out_.advance(static_cast<uint64_t>(n));
            writer_.fed_directly(static_cast<uint64_t>(n));
            done_to(pos);
        }
        report_.method = method;
        return true;
    }

    // Exactly `n` bytes at `pos` of a seekable input; its end is a missing-bytes Failure.
    size_t read_input(uint8_t* buf, size_t n, uint64_t pos) {
        const size_t got = in_.read_some_at(buf, n, pos);
        if (got < n) fail_missing(in_, what_, offset_, size_, pos + got);
        return n;
    }

    void read_extent(uint64_t pos, uint64_t stop) {
        while (pos < stop) {
            const size_t want = static_cast<size_t>(std::min<uint64_t>(stop - pos, buf_.size()));
            writer_.data(buf_.data(), read_input(buf_.data(), want, pos));
            pos += want;
            done_to(pos);
        }
        if (report_.method.empty() || !kernel_ok_) report_.method = "read/write";
    }

    // Seekable input to a pipe or device: sendfile.
    bool send() {
        return kernel_copy(offset_, end_, "sendfile", [&](uint64_t at, size_t want) {
            off_t in_off = static_cast<off_t>(at);
            return sendfile(out_.fd(), in_.fd(), &in_off, want);
        });
    }

    void skip_to_offset() {
        if (offset_ < in_.position()) {
            fail_input(in_.name(), what_ + " starts at byte " + u64(offset_) + ", before byte " + u64(in_.position()) +
                                       " that was already read, and a pipe cannot go back");
        }
        try {
            in_.skip(offset_ - in_.position());
        } catch (const Failure& f) {
            if (f.code() != Exit::invalid_input) throw;
            fail_missing(in_, what_, offset_, size_, in_.position());
        }
    }

    // Pipe to pipe: splice moves page references, no copy.
    bool splice_pipes() {
        return kernel_copy(offset_, end_, "splice", [&](uint64_t, size_t want) {
            return splice(in_.fd(), nullptr, out_.fd(), nullptr, want, SPLICE_F_MOVE | SPLICE_F_MORE);
        });
    }

    // The portable path: a buffer, forward reads (pipes) or preads (files).
    void buffered(uint64_t pos) {
        if (in_.seekable()) {
            read_extent(pos, end_);
            return;
        }
        while (pos < end_) {
            const size_t want = static_cast<size_t>(std::min<uint64_t>(end_ - pos, buf_.size()));
            const size_t got = in_.read(buf_.data(), want);
            writer_.data(buf_.data(), got);
            pos += got;
            if (got < want) fail_missing(in_, what_, offset_, size_, pos);
            done_to(pos);
        }
        report_.method = "read/write";
    }

    Input& in_;
    const uint64_t offset_, size_, end_;
    Output& out_;
    const std::string& what_;
    ProgressMeter progress_;
    HoleWriter writer_;
    CopyReport report_;
    std::vector<uint8_t> buf_ = std::vector<uint8_t>(kBufferBytes);
    bool kernel_ok_;  // copy_file_range may work for this pair of files (not from a device)
};

}  // namespace

void check_range(const Input& in, uint64_t offset, uint64_t size, const std::string& what) {
    check_no_wrap(offset, size, what);
    if (in.seekable() && offset + size > in.size()) fail_missing(in, what, offset, size, in.size());
}

CopyReport copy_range(Input& in, uint64_t offset, uint64_t size, Output& out, const std::string& what,
                      const ProgressFn& progress) {
    check_range(in, offset, size, what);
    if (size == 0) return {0, 0, "nothing"};
    return Copier(in, offset, size, out, what, progress).run();
}

}  // namespace mtkfw
