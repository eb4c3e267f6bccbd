#include "base/failure.h"

#include <cerrno>
#include <cstring>

namespace mtkfw {

void fail_io(const std::string& what, int err) {
    throw Failure(Exit::io, what, err == EPIPE ? "broken pipe" : std::strerror(err));
}

}  // namespace mtkfw
