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

Digits parse_digits(std::string_view text, unsigned base) {
    Digits d;
    for (char c : text) {
        unsigned digit;
        if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
        else break;
        if (d.value > (UINT64_MAX - digit) / base) d.overflow = true;
        d.value = d.value * base + digit;
        ++d.length;
    }
    return d;
}

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
    const Digits d = parse_digits(digits, base);
    if (d.overflow) fail_usage(name, "'" + shown + "' is too large");
    if (d.length == 0) fail_usage(name, "must be a number, got '" + shown + "'");
    const uint64_t value = d.value;
    const size_t i = d.length;

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
