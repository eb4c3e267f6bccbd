// Sizes and offsets on the command line: decimal, 0x hex, and the suffixes of doc/CLI.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mtkfw {

// The longest run of base-10 or base-16 digits (either case) at the start of `text`, as a number.
// Every number mtkfw reads goes through this; callers decide what the rest of the text may be.
struct Digits {
    uint64_t value = 0;
    size_t length = 0;      // digits read; 0: `text` does not start with one
    bool overflow = false;  // the digits do not fit in 64 bits (value is then meaningless)
};
Digits parse_digits(std::string_view text, unsigned base);

// "4096", "0x1000", "4K", "4KiB" (1024-based), "4KB" (1000-based), "2G", "512M" ...
// Throws Failure(usage) naming `option` when `text` is not such a number or overflows 64 bits.
uint64_t parse_size(std::string_view text, std::string_view option);

// Throws Failure(usage) naming `what` when offset + size does not fit in 64 bits: no input can
// hold such a range, so the numbers themselves are wrong (the same answer in every tool).
void check_no_wrap(uint64_t offset, uint64_t size, std::string_view what);

}  // namespace mtkfw
