#include "io/input.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "base/failure.h"

namespace mtkfw {

Input Input::open(const std::string& path) {
    Input in;
    in.path_ = path;
    if (path.empty()) fail_usage("", "an empty file name (use - for standard input)");
    if (path == "-") {
        in.name_ = "standard input";
        in.fd_ = Fd(STDIN_FILENO, false);
    } else {
        in.name_ = path;
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail_io(path, errno);
        in.fd_ = Fd(fd);
    }
    struct stat st;
    if (fstat(in.fd(), &st) != 0) fail_io(in.name_, errno);
    if (S_ISDIR(st.st_mode)) fail_input(in.name_, "is a directory");
    in.dev_ = st.st_dev;
    in.ino_ = st.st_ino;
    if (S_ISREG(st.st_mode)) {
        in.regular_ = in.seekable_ = true;
        in.size_ = static_cast<uint64_t>(st.st_size);
        // stdin redirected from a file may start mid-file; positions are from its start.
        const off_t pos = lseek(in.fd(), 0, SEEK_CUR);
        in.position_ = pos > 0 ? static_cast<uint64_t>(pos) : 0;
    } else if (S_ISBLK(st.st_mode)) {
        uint64_t bytes = 0;
        if (ioctl(in.fd(), BLKGETSIZE64, &bytes) != 0) fail_io(in.name_, errno);
        in.seekable_ = true;
        in.size_ = bytes;
    }
    return in;
}

Input Input::memory(const std::string& name, const void* bytes, size_t n, uint64_t size) {
    Input in;
    in.path_ = in.name_ = name;
    const int fd = memfd_create("mtkfw-input", MFD_CLOEXEC);
    if (fd < 0) fail_io(name, errno);
    in.fd_ = Fd(fd);
    for (size_t done = 0; done < n;) {
        const ssize_t k = pwrite(fd, static_cast<const uint8_t*>(bytes) + done, n - done, static_cast<off_t>(done));
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) fail_io(name, k < 0 ? errno : EIO);
        done += static_cast<size_t>(k);
    }
    if (ftruncate(fd, static_cast<off_t>(std::max<uint64_t>(size, n))) != 0) fail_io(name, errno);
    in.regular_ = in.seekable_ = true;
    in.size_ = std::max<uint64_t>(size, n);
    return in;
}

size_t Input::read_some_at(void* buf, size_t n, uint64_t offset) const {
    return read_full(fd(), buf, n, offset, name_);
}

void Input::read_at(void* buf, size_t n, uint64_t offset) const {
    const size_t got = read_some_at(buf, n, offset);
    if (got < n) {
        fail_input(name_, "truncated: needs " + std::to_string(n) + " bytes at offset " + std::to_string(offset) +
                              " but the input ends at " + std::to_string(offset + got));
    }
}

size_t Input::read(void* buf, size_t n) {
    const size_t done = read_full(fd(), buf, n, std::nullopt, name_);
    position_ += done;
    return done;
}

void Input::read_exact(void* buf, size_t n) {
    const uint64_t at = position_;
    const size_t got = read(buf, n);
    if (got < n) {
        fail_input(name_, "truncated: needs " + std::to_string(n) + " bytes at offset " + std::to_string(at) +
                              " but the input ends at " + std::to_string(at + got));
    }
}

void Input::skip(uint64_t n) {
    if (seekable_) {
        if (lseek(fd(), static_cast<off_t>(n), SEEK_CUR) < 0) fail_io(name_, errno);
        position_ += n;
        return;
    }
    if (n == 0) return;
    // No larger than the skip: a pipe's small skips (a header's padding) cost no 1 MiB buffer.
    std::vector<unsigned char> scratch(static_cast<size_t>(std::min<uint64_t>(n, 1 << 20)));
    const uint64_t target = position_ + n;
    while (position_ < target) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(scratch.size(), target - position_));
        if (read(scratch.data(), want) < want) {
            fail_input(name_, "truncated: ends at " + std::to_string(position_) + ", before offset " +
                                  std::to_string(target));
        }
    }
}

bool same_file(const std::string& path, const Input& in) {
    struct stat st;
    if (path.empty() || path == "-" || ::stat(path.c_str(), &st) != 0) return false;
    return st.st_dev == in.device() && st.st_ino == in.inode();
}

}  // namespace mtkfw
