#include "base/number.h"

#include <string>

#include "base/failure.h"

namespace mtkfw {
namespace {

struct Suffix {
    std::string_view text;
    uint64_t factor;
};

// Longest first, so "KiB" is not taken for "K" followed by junk.
constexpr Suffix kSuffixes[] = {
    {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30}, {"TiB", 1ull << 40},
    {"KB", 1000ull},     {"MB", 1000000ull},  {"GB", 1000000000ull}, {"TB", 1000000000000ull},
    {"K", 1ull << 10},   {"M", 1ull << 20},   {"G", 1ull << 30},   {"T", 1ull << 40},
};

}  // namespace

uint64_t parse_size(std::string_view text, std::string_view option) {
    const std::string name(option);
    const std::string shown(text);
    if (text.empty()) fail_usage(name, "must be a number, got an empty string");

    unsigned base = 10;
    std::string_view digits = text;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.remove_prefix(2);
    }
    uint64_t value = 0;
    size_t i = 0;
    for (; i < digits.size(); ++i) {
        const char c = digits[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else break;
        if (value > (UINT64_MAX - d) / base) fail_usage(name, "'" + shown + "' is too large");
        value = value * base + d;
    }
    if (i == 0) fail_usage(name, "must be a number, got '" + shown + "'");

    const std::string_view rest = digits.substr(i);
    if (rest.empty()) return value;
    if (base == 16) fail_usage(name, "a hex number takes no suffix, got '" + shown + "'");
    for (const Suffix& s : kSuffixes) {
        if (rest == s.text) {
            if (value > UINT64_MAX / s.factor) fail_usage(name, "'" + shown + "' is too large");
            return value * s.factor;
        }
    }
    fail_usage(name, "unknown suffix in '" + shown + "' (use K, KiB, M, MiB, G, GiB, KB, MB, GB)");
}

void check_no_wrap(uint64_t offset, uint64_t size, std::string_view what) {
    if (size > UINT64_MAX - offset) fail_usage(std::string(what), "offset + size is larger than 64 bits");
}

}  // namespace mtkfw
