// A main for the fuzz harnesses without libFuzzer: feeds each file named on the command line to
// LLVMFuzzerTestOneInput once, so the regression inputs under tests/fuzz/regress/ run with the
// normal g++ build (make test) and the ASan+UBSan one (make test-sanitize).  A harness that finds
// a bug aborts (assertion or sanitizer); returning means the input was handled.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::ifstream f(argv[i], std::ios::binary);
        if (!f) {
            std::fprintf(stderr, "replay: cannot open %s\n", argv[i]);
            return 3;
        }
        const std::vector<uint8_t> data{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
        LLVMFuzzerTestOneInput(data.data(), data.size());
        std::printf("ok %s (%zu bytes)\n", argv[i], data.size());
    }
    return 0;
}
