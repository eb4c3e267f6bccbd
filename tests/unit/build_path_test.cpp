// format/build_path.h: the platform of a preloader's source paths, fed whole and in pieces.
#include <string>

#include "check.h"
#include "format/build_path.h"

namespace {

mtkfw::BuildPathScan scan(const std::string& text, size_t piece) {
    mtkfw::BuildPathScan s;
    const mtkfw::Bytes b(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    for (size_t at = 0; at < b.size(); at += piece) s.update(b.subspan(at, std::min(piece, b.size() - at)));
    return s;
}

const std::string kPath = std::string("\x01\xff junk ") + "/home/x/android/bootable/bootloader/preloader/platform/mt6765/src/drivers/circbuf.c" +
                          std::string(1, '\0') + "more";

}  // namespace

TEST(build_path_names_the_platform_in_any_piece_size) {
    for (size_t piece : {1, 2, 7, 19, 26, 27, 64, 4096}) {
        const auto s = scan(kPath, piece);
        CHECK_EQ(s.platform().value_or("none"), std::string("MT6765"));
    }
}

TEST(build_path_needs_mt_four_digits_and_a_slash) {
    CHECK(!scan("/preloader/platform/mt676/x", 5).platform());
    CHECK(!scan("/preloader/platform/mt67650/x", 5).platform());
    CHECK(!scan("/preloader/platform/MT6765/x", 5).platform());
    CHECK(!scan("preloader/platform/mt6765/x", 5).platform());  // no leading '/'
    CHECK(!scan("/preloader/platform/mt6765", 5).platform());   // cut by the end of the image
    CHECK(!scan("", 5).platform());
}

TEST(build_path_two_platforms_conflict) {
    const auto s = scan("/preloader/platform/mt6765/a.c /preloader/platform/mt6768/b.c /preloader/platform/mt6765/c", 3);
    CHECK(!s.platform());
    CHECK(s.conflicting());
    CHECK_EQ(s.names().size(), 2u);
}
