// parse_size and check_no_wrap: the number rules of doc/CLI.md, one test per rule.
#include <cstdint>

#include "check.h"
#include "base/number.h"

using mtkfw::Exit;
using mtkfw::parse_size;

TEST(size_decimal_and_hex) {
    CHECK_EQ(parse_size("4096", "--size"), 4096u);
    CHECK_EQ(parse_size("0x1000", "--size"), 4096u);
    CHECK_EQ(parse_size("0XaB", "--size"), 0xABu);
    CHECK_EQ(parse_size("18446744073709551615", "--size"), UINT64_MAX);
}

TEST(size_suffixes_binary_and_decimal) {
    CHECK_EQ(parse_size("4K", "--size"), 4096u);
    CHECK_EQ(parse_size("4KiB", "--size"), 4096u);
    CHECK_EQ(parse_size("4KB", "--size"), 4000u);
    CHECK_EQ(parse_size("512M", "--size"), 512ull << 20);
    CHECK_EQ(parse_size("2G", "--size"), 2ull << 30);
    CHECK_EQ(parse_size("3GB", "--size"), 3000000000u);
    CHECK_EQ(parse_size("1T", "--size"), 1ull << 40);
}

TEST(size_rejects_empty) {
    CHECK_THROWS(parse_size("", "--size"), Exit::usage, "--size: must be a number, got an empty string");
}

TEST(size_rejects_no_digits) {
    CHECK_THROWS(parse_size("K", "--offset"), Exit::usage, "--offset: must be a number, got 'K'");
    CHECK_THROWS(parse_size("-1", "--offset"), Exit::usage, "must be a number, got '-1'");
}

TEST(size_rejects_suffix_on_hex) {
    CHECK_THROWS(parse_size("0x10K", "--size"), Exit::usage, "a hex number takes no suffix, got '0x10K'");
}

TEST(size_rejects_unknown_suffix) {
    CHECK_THROWS(parse_size("12x", "--size"), Exit::usage, "unknown suffix in '12x' (use K, KiB");
    CHECK_THROWS(parse_size("4k", "--size"), Exit::usage, "unknown suffix in '4k'");
    CHECK_THROWS(parse_size("0x", "--size"), Exit::usage, "unknown suffix in '0x'");
}

TEST(size_rejects_digits_past_64_bits) {
    CHECK_THROWS(parse_size("18446744073709551616", "--size"), Exit::usage, "'18446744073709551616' is too large");
    CHECK_THROWS(parse_size("0x10000000000000000", "--size"), Exit::usage, "is too large");
}

TEST(size_rejects_suffix_past_64_bits) {
    CHECK_EQ(parse_size("16777215T", "--size"), 16777215ull << 40);
    CHECK_THROWS(parse_size("16777216T", "--size"), Exit::usage, "'16777216T' is too large");
}

TEST(no_wrap_accepts_a_range_ending_at_2_to_the_64) {
    mtkfw::check_no_wrap(UINT64_MAX - 1, 1, "partition");
    mtkfw::check_no_wrap(0, UINT64_MAX, "partition");
}

TEST(no_wrap_rejects_a_range_past_64_bits) {
    CHECK_THROWS(mtkfw::check_no_wrap(UINT64_MAX, 1, "--offset/--size"), Exit::usage,
                 "--offset/--size: offset + size is larger than 64 bits");
}
