// Fuzzes parse_size (common/base/number.h), every size and offset option of every tool: it returns a
// value or throws a usage Failure.  Checked: a plain decimal that parses reads back the same, and a
// suffix multiplies the value it follows (no silent wrap-around past 2^64).
#include <string>

#include "fuzz_support.h"
#include "base/number.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::text_of(data, size);
    uint64_t value = 0;
    bool ok = fuzz::accepts([&] { value = mtkfw::parse_size(text, "--size"); });
    if (!ok) {
        bool usage = false;
        try {
            mtkfw::parse_size(text, "--size");
        } catch (const mtkfw::Failure& e) {
            usage = e.code() == mtkfw::Exit::usage;
        }
        FUZZ_CHECK(usage);  // a bad number is a usage error that names the option (doc/CLI.md)
        return 0;
    }
    // Digits only: the value is the decimal number, which then fits in 64 bits.
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
        FUZZ_CHECK(std::to_string(value) == std::string(text).erase(0, std::min(text.find_first_not_of('0'), text.size() - 1)));
    }
    // "<digits>K" is 1024 times "<digits>", or both fail.
    if (size > 1 && text.back() == 'K' && text.substr(0, size - 1).find_first_not_of("0123456789") == std::string_view::npos) {
        uint64_t base = 0;
        FUZZ_CHECK(fuzz::accepts([&] { base = mtkfw::parse_size(text.substr(0, size - 1), "--size"); }));
        FUZZ_CHECK(base <= UINT64_MAX / 1024 && value == base * 1024);
    }
    return 0;
}
