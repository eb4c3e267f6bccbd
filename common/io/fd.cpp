#include "io/fd.h"

#include <cerrno>

#include "base/failure.h"

namespace mtkfw {
namespace {

// Calls `call(done)` (one read or write of the rest, after `done` bytes) until `n` bytes have
// moved, retrying interrupted calls; a failure is an I/O Failure naming `name`.  A call that
// moves nothing ends the loop (end of file; a write never returns 0 for a non-empty buffer).
template <class Call>
size_t transfer(size_t n, const std::string& name, Call call) {
    size_t done = 0;
    while (done < n) {
        const ssize_t r = call(done);
        if (r < 0) {
            if (errno == EINTR) continue;
            fail_io(name, errno);
        }
        if (r == 0) break;
        done += static_cast<size_t>(r);
    }
    return done;
}

}  // namespace

size_t read_full(int fd, void* buf, size_t n, std::optional<uint64_t> offset, const std::string& name) {
    auto* p = static_cast<unsigned char*>(buf);
    return transfer(n, name, [&](size_t done) {
        return offset ? ::pread(fd, p + done, n - done, static_cast<off_t>(*offset + done)) : ::read(fd, p + done, n - done);
    });
}

void write_full(int fd, const void* buf, size_t n, std::optional<uint64_t> offset, const std::string& name) {
    const auto* p = static_cast<const unsigned char*>(buf);
    if (transfer(n, name, [&](size_t done) {
            return offset ? ::pwrite(fd, p + done, n - done, static_cast<off_t>(*offset + done))
                          : ::write(fd, p + done, n - done);
        }) < n) {
        fail_io(name, EIO);  // the kernel took nothing and said no error
    }
}

}  // namespace mtkfw
