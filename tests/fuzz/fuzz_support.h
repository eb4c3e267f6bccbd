// What the fuzz harnesses share: the input as a file the parsers can open (a memfd behind
// /proc/self/fd/N, or a pipe), and the rule that a parser may reject input only by throwing
// mtkfw::Failure.  Any other exception escapes LLVMFuzzerTestOneInput and aborts: a finding.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/failure.h"
#include "io/input.h"

namespace fuzz {

// Aborts with a message when a property the harness checks does not hold.
#define FUZZ_CHECK(cond)                                                                    \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                    \
        }                                                                                    \
    } while (0)

inline void write_all(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n <= 0) std::abort();
        data += n;
        size -= static_cast<size_t>(n);
    }
}

// `data` as a regular file (memfd): Input::open(path()) sees a seekable file of `size` bytes,
// or more when `grow_to` asks for a hole after the data (a lying size costs no memory).
class MemFile {
public:
    MemFile(const uint8_t* data, size_t size, uint64_t grow_to = 0) {
        fd_ = memfd_create("fuzz", MFD_CLOEXEC);
        if (fd_ < 0) std::abort();
        write_all(fd_, data, size);
        if (grow_to > size && ftruncate(fd_, static_cast<off_t>(grow_to)) != 0) std::abort();
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    ~MemFile() { ::close(fd_); }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    const std::string& path() const { return path_; }
    int fd() const { return fd_; }   // to place more bytes (pwrite) before the parser reads

private:
    int fd_ = -1;
    std::string path_;
};

// `data` as a pipe that holds all of it and then ends: Input::open(path()) is not seekable.
// `grow_to` adds zeros after the data, as MemFile's hole reads.  Inputs up to the pipe's
// capacity (1 MiB, fs.pipe-max-size) only; larger ones are cut.
class PipeFile {
public:
    PipeFile(const uint8_t* data, size_t size, uint64_t grow_to = 0) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) std::abort();
        const int cap = fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
        const size_t room = cap > 0 ? static_cast<size_t>(cap) : 65536;
        if (size > room) size = room;
        write_all(p[1], data, size);
        // Each write of zeros ends on a page boundary: a pipe holds `room` bytes only when no
        // write starts a page it cannot fill (a blocked write here would hang the harness).
        static const uint8_t zeros[4096] = {};
        for (uint64_t at = size; at < grow_to && at < room;) {
            const uint64_t to_page = sizeof zeros - at % sizeof zeros;
            const size_t n = static_cast<size_t>(std::min<uint64_t>({to_page, grow_to - at, room - at}));
            write_all(p[1], zeros, n);
            at += n;
        }
        // Opening /proc/self/fd/N of a pipe opens the pipe again; do it while a writer exists
        // (else open blocks), then drop the writer so the reader sees the end.
        read_fd_ = p[0];
        write_fd_ = p[1];
        path_ = "/proc/self/fd/" + std::to_string(read_fd_);
    }
    // The Input must be opened before the writer is closed: call this after Input::open.
    void close_writer() {
        if (write_fd_ >= 0) ::close(write_fd_);
        write_fd_ = -1;
    }
    ~PipeFile() {
        close_writer();
        ::close(read_fd_);
    }
    PipeFile(const PipeFile&) = delete;
    PipeFile& operator=(const PipeFile&) = delete;
    const std::string& path() const { return path_; }

private:
    int read_fd_ = -1, write_fd_ = -1;
    std::string path_;
};

// A scratch path for an Output in tmpfs, one per process (Output::open writes a temporary beside
// it and removes it unless committed: harnesses never commit).
inline std::string scratch_output(const char* name) {
    return "/dev/shm/mtkfw-" + std::string(name) + "-" + std::to_string(getpid()) + ".out";
}

// The file behind an open descriptor, as a path Input::open can read (a temporary Output).
inline std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// Runs `f`; a Failure is the parser rejecting the input (fine), anything else escapes.
template <class F>
bool accepts(F&& f) {
    try {
        f();
        return true;
    } catch (const mtkfw::Failure& e) {
        FUZZ_CHECK(e.code() != mtkfw::Exit::ok && e.code() != mtkfw::Exit::internal);
        return false;
    }
}

// Runs f(Input&) on the bytes of `file` opened anew or, with `pipe`, on the same `size` bytes of
// `data` (grown to `grow_to` with zeros) read through a pipe; false when f's parser rejected
// them (accepts()).
template <class F>
bool accepts_input(bool pipe, const MemFile& file, const uint8_t* data, size_t size, uint64_t grow_to, F&& f) {
    if (pipe) {
        PipeFile p(data, size, grow_to);
        mtkfw::Input in = mtkfw::Input::open(p.path());
        p.close_writer();
        return accepts([&] { f(in); });
    }
    mtkfw::Input in = mtkfw::Input::open(file.path());
    return accepts([&] { f(in); });
}

// The bytes an ext2/3/4 superblock in `data` says its file system has (blocks_count_lo x block
// size), at most `cap`; 0 without a superblock.  Seeds of multi-group file systems are cut after
// their last used block and the harness grows them back to this size (a hole: no memory).
inline uint64_t ext4_declared_size(const uint8_t* data, size_t size, uint64_t cap) {
    constexpr size_t kSuper = 1024, kBlocksCountAt = 4, kLogBlockSizeAt = 24;
    if (size < kSuper + kLogBlockSizeAt + 4) return 0;
    auto le32 = [&](size_t at) {
        return static_cast<uint32_t>(data[at] | data[at + 1] << 8 | data[at + 2] << 16 | static_cast<uint32_t>(data[at + 3]) << 24);
    };
    const uint32_t log = le32(kSuper + kLogBlockSizeAt);
    if (log > 6) return 0;
    return std::min<uint64_t>(static_cast<uint64_t>(le32(kSuper + kBlocksCountAt)) << (10 + log), cap);
}

// The bytes an erofs superblock in `data` says its file system has (blocks_lo x block size), at
// most `cap`; 0 without one.  Seeds are cut after their last non-zero block and grown back so.
inline uint64_t erofs_declared_size(const uint8_t* data, size_t size, uint64_t cap) {
    constexpr size_t kSuper = 1024, kBlkszBitsAt = 0x0C, kBlocksAt = 0x24;
    if (size < kSuper + kBlocksAt + 4) return 0;
    const unsigned bits = data[kSuper + kBlkszBitsAt];
    if (bits < 9 || bits > 16) return 0;
    const uint64_t blocks = static_cast<uint32_t>(data[kSuper + kBlocksAt] | data[kSuper + kBlocksAt + 1] << 8 |
                                                  data[kSuper + kBlocksAt + 2] << 16 |
                                                  static_cast<uint32_t>(data[kSuper + kBlocksAt + 3]) << 24);
    return std::min<uint64_t>(blocks << bits, cap);
}

inline std::string_view text_of(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace fuzz
