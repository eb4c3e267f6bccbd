// The field helpers of base/bytes.h at the edges of their span.
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "check.h"

using mtkfw::has_magic;

TEST(has_magic_needs_the_whole_magic_inside_the_span) {
    const Buffer b{'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T'};
    CHECK(has_magic(b, 0, "EFI PART"));
    CHECK(has_magic(b, 4, "PART"));
    CHECK(!has_magic(b, 5, "PART"));  // one byte short
    CHECK(!has_magic(b, 8, "P"));
    CHECK(has_magic(b, 8, ""));
    CHECK(!has_magic(b, 9, ""));
}

// A lying offset near 2^64: at + magic.size() wrapped to a small number, and the comparison
// then read outside the span (the pattern of the GPT pipe reader's heap-use-after-free).  The
// span lies inside a larger buffer of the same bytes, so the stray read found a match.
TEST(has_magic_with_an_offset_near_2_to_the_64_is_false) {
    const Buffer whole(32, 'A');
    const mtkfw::Bytes b = mtkfw::Bytes(whole).subspan(16, 8);
    CHECK(!has_magic(b, SIZE_MAX - 3, "AAAAAAAA"));  // read whole[12, 20)
    CHECK(!has_magic(b, SIZE_MAX, "AA"));            // read whole[15, 17)
}
