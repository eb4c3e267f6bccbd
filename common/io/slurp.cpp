#include "io/slurp.h"

#include "base/failure.h"

namespace mtkfw {

std::string slurp(Input& in, size_t max_bytes) {
    std::string text;
    size_t got = 0;
    do {
        text.resize(got + 65536);
        const size_t n = in.read(text.data() + got, text.size() - got);
        got += n;
        if (n == 0) break;
        if (got > max_bytes) {
            fail_input(in.name(), "larger than " + std::to_string(max_bytes) + " bytes: is this the right file?");
        }
    } while (true);
    text.resize(got);
    return text;
}

}  // namespace mtkfw
