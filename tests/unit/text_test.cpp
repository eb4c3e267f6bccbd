// The ASCII case helpers of base/text.h: scatter names and storage types typed either way.
#include <string>

#include "base/text.h"
#include "check.h"

using mtkfw::equal_ignoring_case;
using mtkfw::to_lower;
using mtkfw::to_upper;

TEST(case_helpers_change_ascii_letters_only) {
    CHECK_EQ(to_lower("USRDATA_1.img"), std::string("usrdata_1.img"));
    CHECK_EQ(to_upper("mt6572"), std::string("MT6572"));
    CHECK_EQ(to_upper("\xc3\xa9-x"), std::string("\xc3\xa9-X"));   // UTF-8 bytes kept as they are
    CHECK_EQ(to_lower(""), std::string());
}

TEST(equal_ignoring_case_needs_the_same_length) {
    CHECK(equal_ignoring_case("USRDATA", "usrdata"));
    CHECK(equal_ignoring_case("EMMC", "emmc"));
    CHECK(!equal_ignoring_case("EMMC", "emmc_boot"));
    CHECK(!equal_ignoring_case("ufs", "uf"));
    CHECK(!equal_ignoring_case("a_b", "a-b"));
    CHECK(equal_ignoring_case("", ""));
}
