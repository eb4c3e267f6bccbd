// content_by_magic: the table of magics of format/content.h, one example per rule, on probes
// built here.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/content.h"

namespace {

Buffer probe(size_t size, size_t at, std::string_view bytes) {
    Buffer b(size, 0x5A);
    std::copy(bytes.begin(), bytes.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
    return b;
}

std::string kind_of(const Buffer& b) { return mtkfw::content_by_magic(b).kind; }

}  // namespace

TEST(content_numbers_are_little_endian_at_their_offset) {
    Buffer b = probe(4096, 0, "");
    mtkfw::put_le32(&b[1024], 0xF2F52010);
    CHECK_EQ(kind_of(b), std::string("f2fs"));
    mtkfw::put_le32(&b[1024], 0xE0F5E1E2);
    CHECK_EQ(kind_of(b), std::string("erofs"));
    CHECK_EQ(kind_of(Buffer(b.begin(), b.begin() + 1027)), std::string("unknown"));  // magic cut short
}

TEST(content_mtk_image_needs_its_whole_name_field) {
    Buffer b = probe(40, 8, "recovery");
    mtkfw::put_le32(&b[0], 0x58881688);
    std::fill(b.begin() + 16, b.end(), 0);
    const mtkfw::Content c = mtkfw::content_by_magic(b);
    CHECK_EQ(c.kind, std::string("mtk-image"));
    CHECK_EQ(c.label, std::string("recovery"));
    CHECK_EQ(kind_of(Buffer(b.begin(), b.begin() + 39)), std::string("unknown"));
}

TEST(content_gfh_needs_both_magics) {
    CHECK_EQ(kind_of(probe(64, 0, std::string_view("MMM\x01\x38\x00\x00\x00" "FILE_INFO", 17))),
             std::string("gfh-preloader"));
    CHECK_EQ(kind_of(probe(64, 0, "MMM\x01")), std::string("unknown"));
}

TEST(content_fat_label_drops_its_space_padding_fat32_first) {
    Buffer b = probe(512, 82, "FAT32   ");
    std::copy_n("NO NAME    ", 11, b.begin() + 71);
    b[510] = 0x55;
    b[511] = 0xAA;
    CHECK_EQ(mtkfw::content_by_magic(b).label, std::string("NO NAME"));
    Buffer fat16 = probe(512, 54, "FAT16   ");
    std::copy_n("BOOT       ", 11, fat16.begin() + 43);
    fat16[510] = 0x55;
    fat16[511] = 0xAA;
    CHECK_EQ(mtkfw::content_by_magic(fat16).kind, std::string("fat"));
    CHECK_EQ(mtkfw::content_by_magic(fat16).label, std::string("BOOT"));
    fat16[511] = 0;
    CHECK_EQ(kind_of(fat16), std::string("unknown"));  // no boot signature
}

TEST(content_zero_needs_one_byte) {
    CHECK_EQ(kind_of(Buffer(4096, 0)), std::string("zero"));
    CHECK_EQ(kind_of(Buffer()), std::string("unknown"));
}
