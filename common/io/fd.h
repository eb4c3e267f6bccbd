// A file descriptor that closes itself, and the one read and write loop every I/O path uses.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace mtkfw {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd, bool owned = true) : fd_(fd), owned_(owned) {}
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)), owned_(o.owned_) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = std::exchange(o.fd_, -1);
            owned_ = o.owned_;
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    // Gives up ownership without closing.
    int release() { return std::exchange(fd_, -1); }
    void reset() {
        if (fd_ >= 0 && owned_) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
    bool owned_ = true;  // stdin/stdout are borrowed, never closed
};

// Reads until `n` bytes or the end of the file, retrying interrupted and short reads; at
// `offset` (pread) or, when nullopt, at the file position.  Returns the bytes read; a failed read
// is an I/O Failure naming `name`.
size_t read_full(int fd, void* buf, size_t n, std::optional<uint64_t> offset, const std::string& name);
// Writes all `n` bytes the same way; a failed write (disk full, closed pipe) is an I/O Failure.
void write_full(int fd, const void* buf, size_t n, std::optional<uint64_t> offset, const std::string& name);

}  // namespace mtkfw
