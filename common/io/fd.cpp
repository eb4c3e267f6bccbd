#include "io/fd.h"

#include <cerrno>

#include "base/failure.h"

namespace mtkfw {

size_t read_full(int fd, void* buf, size_t n, std::optional<uint64_t> offset, const std::string& name) {
    auto* p = static_cast<unsigned char*>(buf);
    size_t done = 0;
    while (done < n) {
        const ssize_t r = offset ? ::pread(fd, p + done, n - done, static_cast<off_t>(*offset + done))
                                 : ::read(fd, p + done, n - done);
        if (r < 0) {
            if (errno == EINTR) continue;
            fail_io(name, errno);
        }
        if (r == 0) break;
        done += static_cast<size_t>(r);
    }
    return done;
}

void write_full(int fd, const void* buf, size_t n, std::optional<uint64_t> offset, const std::string& name) {
    const auto* p = static_cast<const unsigned char*>(buf);
    size_t done = 0;
    while (done < n) {
        const ssize_t w = offset ? ::pwrite(fd, p + done, n - done, static_cast<off_t>(*offset + done))
                                 : ::write(fd, p + done, n - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            fail_io(name, errno);
        }
        done += static_cast<size_t>(w);
    }
}

}  // namespace mtkfw
