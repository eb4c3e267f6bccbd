// Android property files (format/build_prop.h): the first "key=" line wins, CRLF is fine,
// comments and longer keys do not match.
#include <string>

#include "check.h"
#include "format/build_prop.h"

using mtkfw::build_prop::value;

TEST(build_prop_finds_the_first_line_of_the_key) {
    const std::string props = "# begin\nro.board.platformx=no\nro.board.platform=mt6752\nro.board.platform=second\n";
    CHECK_EQ(value(props, "ro.board.platform"), std::string("mt6752"));
}

TEST(build_prop_takes_crlf_and_a_last_line_without_newline) {
    CHECK_EQ(value("a=1\r\nro.mediatek.platform=MT6752\r\n", "ro.mediatek.platform"), std::string("MT6752"));
    CHECK_EQ(value("a=1\nro.mediatek.platform=MT6580", "ro.mediatek.platform"), std::string("MT6580"));
}

TEST(build_prop_absent_or_commented_key_is_empty) {
    CHECK_EQ(value("#ro.board.platform=mt6752\n", "ro.board.platform"), std::string());
    CHECK_EQ(value("", "ro.board.platform"), std::string());
}
