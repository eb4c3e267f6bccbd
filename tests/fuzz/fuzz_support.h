// What the fuzz harnesses share: the input as a file the parsers can open (a memfd behind
// /proc/self/fd/N, or a pipe), and the rule that a parser may reject input only by throwing
// mtkfw::Failure.  Any other exception escapes LLVMFuzzerTestOneInput and aborts: a finding.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

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

private:
    int fd_ = -1;
    std::string path_;
};

// `data` as a pipe that holds all of it and then ends: Input::open(path()) is not seekable.
// Inputs up to the pipe's capacity (1 MiB, fs.pipe-max-size) only; larger ones are cut.
class PipeFile {
public:
    PipeFile(const uint8_t* data, size_t size) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) std::abort();
        const int cap = fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
        if (cap > 0 && size > static_cast<size_t>(cap)) size = static_cast<size_t>(cap);
        write_all(p[1], data, size);
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

inline std::string_view text_of(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace fuzz
