// A file descriptor that closes itself.
#pragma once

#include <unistd.h>

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

}  // namespace mtkfw
