// parse_gfh_file_info, check_gfh_chain (format/gfh.h) and locate_gfh (format/boot_header.h) on images and
// BOOT1 heads built here from the layout tables of those headers.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/boot_header.h"
#include "format/gfh.h"
#include "ops/preloader.h"

using mtkfw::Exit;
using mtkfw::put_le16;
using mtkfw::put_le32;

namespace {
// A FILE_INFO v1 of a 0x1000-byte eMMC preloader: content at 0x38, 32-byte SHA-256 signature.
Buffer file_info() {
    Buffer b(0x38, 0);
    std::copy_n("MMM\x01", 4, b.begin());
    put_le16(&b[4], 0x38);
    std::copy_n("FILE_INFO", 9, &b[8]);
    put_le32(&b[0x14], 1);
    put_le16(&b[0x18], 1);
    b[0x1A] = 5;
    b[0x1B] = 1;
    put_le32(&b[0x1C], 0x201000);
    put_le32(&b[0x20], 0x1000);
    put_le32(&b[0x24], 0x40000);
    put_le32(&b[0x28], 0x38);
    put_le32(&b[0x2C], 32);
    put_le32(&b[0x30], 0x38);
    return b;
}
#define CHECK_INFO_REJECTED(edit, fragment) \
    CHECK_THROWS(mtkfw::parse_gfh_file_info(edited(file_info(), [](Buffer& b) { edit; }), "pl.bin"), Exit::invalid_input, fragment)

// BOOT1's first 0x2000 bytes: EMMC_BOOT header, a BRLYT at 0x200 whose descriptor 0 begins at
// `gfh_at`, and the FILE_INFO there; 0xFF elsewhere.
Buffer boot1_head(uint32_t gfh_at, bool with_brlyt = true) {
    Buffer b(0x2000, 0xFF);
    std::fill_n(b.begin(), 12, 0);
    std::copy_n("EMMC_BOOT", 9, b.begin());
    put_le32(&b[0x0C], 1);
    put_le32(&b[0x10], 0x200);
    if (with_brlyt) {
        std::fill_n(&b[0x200], 0x14 + 8 * 20, 0);
        std::copy_n("BRLYT", 5, &b[0x200]);
        put_le32(&b[0x208], 1);
        put_le32(&b[0x20C], 0x800);
        put_le32(&b[0x210], 0x40800);
        std::copy_n("BBBB", 4, &b[0x214]);
        put_le16(&b[0x218], 5);
        put_le16(&b[0x21A], 1);
        put_le32(&b[0x21C], gfh_at);
    }
    const Buffer info = file_info();
    if (gfh_at + info.size() <= b.size()) std::copy(info.begin(), info.end(), b.begin() + gfh_at);
    return b;
}
}  // namespace

TEST(file_info_fields_are_read) {
    const auto f = mtkfw::parse_gfh_file_info(file_info(), "pl.bin");
    CHECK_EQ(f.flash_dev, 5);
    CHECK_EQ(f.sig_type, 1);
    CHECK_EQ(f.file_len, 0x1000u);
    CHECK_EQ(f.signature_offset(), 0x1000u - 32);
}

TEST(file_info_rejects_fewer_than_56_bytes) {
    Buffer b = file_info();
    b.pop_back();
    CHECK_THROWS(mtkfw::parse_gfh_file_info(b, "pl.bin"), Exit::invalid_input, "pl.bin: truncated: a GFH FILE_INFO needs 56 bytes");
}

TEST(file_info_rejects_no_mmm_magic) { CHECK_INFO_REJECTED(b[0] = 'X', "no GFH block (no \"MMM\" magic)"); }

TEST(file_info_rejects_version_other_than_1) {
    CHECK_INFO_REJECTED(b[3] = 2, "GFH FILE_INFO version 2 (only 1 is known)");
}

TEST(file_info_rejects_a_first_block_of_another_size_or_type) {
    CHECK_INFO_REJECTED(put_le16(&b[4], 0x30), "the first GFH block is not a FILE_INFO (size 0x30, type 0)");
    CHECK_INFO_REJECTED(put_le16(&b[6], 1), "the first GFH block is not a FILE_INFO (size 0x38, type 1)");
}

TEST(file_info_rejects_another_identifier) {
    CHECK_INFO_REJECTED(b[0x10] = 'X', "GFH FILE_INFO identifier is not \"FILE_INFO\"");
}

TEST(file_info_rejects_a_file_type_other_than_arm_bl) {
    CHECK_INFO_REJECTED(put_le16(&b[0x18], 2), "GFH file_type 2 is not 1 (ARM_BL): not a preloader");
}

TEST(file_info_rejects_file_len_above_max_size) {
    CHECK_INFO_REJECTED(put_le32(&b[0x24], 0xFFF), "GFH file_len 4096 is larger than max_size 4095");
}

TEST(file_info_rejects_content_offset_outside_0x38_to_1mib) {
    CHECK_INFO_REJECTED(put_le32(&b[0x28], 0x30), "GFH content_offset 0x30 is outside 0x38..0x100000");
    CHECK_INFO_REJECTED(put_le32(&b[0x28], 0x100001), "GFH content_offset 0x100001 is outside 0x38..0x100000");
}

TEST(file_info_rejects_a_signature_past_file_len) {
    CHECK_INFO_REJECTED(put_le32(&b[0x2C], 0x1000), "GFH content_offset 0x38 + sig_len 4096 is past file_len 4096");
}

TEST(file_info_rejects_a_jump_outside_the_code) {
    CHECK_INFO_REJECTED(put_le32(&b[0x30], 0x1000 - 32), "GFH jump_offset 0xfe0 is outside the code (0x38..0xfe0)");
    CHECK_EQ(mtkfw::parse_gfh_file_info(edited(file_info(), [](Buffer& b) { put_le32(&b[0x30], 0); }), "pl.bin").jump_offset, 0u);
}

TEST(chain_ends_at_content_offset) {
    const auto info = mtkfw::parse_gfh_file_info(file_info(), "pl.bin");
    CHECK_EQ(mtkfw::check_gfh_chain(file_info(), info, "pl.bin"), 1);
}

TEST(chain_rejects_a_block_past_content_offset) {
    Buffer b = file_info();
    const auto info = mtkfw::parse_gfh_file_info(b, "pl.bin");
    put_le16(&b[4], 0x40);
    CHECK_THROWS(mtkfw::check_gfh_chain(b, info, "pl.bin"), Exit::invalid_input,
                 "broken GFH chain: the block at 0x0 (size 0x40) runs past content_offset 0x38");
}

TEST(locate_a_raw_image_at_0) {
    mtkfw::Notices notices;
    const auto l = mtkfw::locate_gfh(file_info(), "pl.bin", notices);
    CHECK(l.from == mtkfw::GfhOffsetFrom::raw);
    CHECK_EQ(l.gfh_offset, 0u);
    CHECK(notices.empty());
}

TEST(locate_through_the_brlyt_descriptor) {
    mtkfw::Notices notices;
    const auto l = mtkfw::locate_gfh(boot1_head(0x800), "Boot1", notices);
    CHECK(l.from == mtkfw::GfhOffsetFrom::brlyt);
    CHECK_EQ(l.gfh_offset, 0x800u);
    CHECK_EQ(l.device->storage, std::string("emmc"));
    CHECK(notices.empty());
}

TEST(locate_without_brlyt_uses_the_documented_default_with_a_warning) {
    mtkfw::Notices notices;
    const auto l = mtkfw::locate_gfh(boot1_head(0x800, false), "Boot1", notices);
    CHECK(l.from == mtkfw::GfhOffsetFrom::fallback);
    CHECK_EQ(l.gfh_offset, 0x800u);
    CHECK_EQ(notices.size(), 1u);
    CHECK_EQ(notices[0].text, std::string("no BRLYT at 0x200: using the EMMC_BOOT default preloader offset 0x800"));
}

TEST(locate_rejects_an_empty_input) {
    mtkfw::Notices notices;
    CHECK_THROWS(mtkfw::locate_gfh(Buffer(), "Boot1", notices), Exit::invalid_input,
                 "Boot1: empty (0 bytes): not a BOOT1 readback nor a preloader image");
}

TEST(locate_rejects_other_bytes_saying_what_they_look_like) {
    mtkfw::Notices notices;
    CHECK_THROWS(mtkfw::locate_gfh(Buffer(0x2000, 0), "Boot2", notices), Exit::invalid_input,
                 "Boot2: not a BOOT1 readback nor a preloader image (no EMMC_BOOT/UFS_BOOT header, no BRLYT, "
                 "no GFH FILE_INFO)");
    // What they look like instead is said by the preloader reader (it knows every content kind).
    CHECK_THROWS(mtkfw::inspect_preloader(Buffer(0x2000, 0), "Boot2", notices), Exit::invalid_input,
                 "Boot2: not a BOOT1 readback nor a preloader image (no EMMC_BOOT/UFS_BOOT header, no BRLYT, "
                 "no GFH FILE_INFO): it looks like all zeros");
}

TEST(locate_rejects_a_brlyt_pointing_into_the_header) {
    mtkfw::Notices notices;
    CHECK_THROWS(mtkfw::locate_gfh(boot1_head(0x280), "Boot1", notices), Exit::invalid_input,
                 "Boot1: the BRLYT puts the preloader at 0x280, inside the header");
}

TEST(locate_rejects_no_file_info_where_the_brlyt_points) {
    Buffer b = boot1_head(0x800);
    b[0x800] = 0xFF;
    mtkfw::Notices notices;
    CHECK_THROWS(mtkfw::locate_gfh(b, "Boot1", notices), Exit::invalid_input,
                 "Boot1: no GFH FILE_INFO at 0x800, where the BRLYT puts the preloader");
}

TEST(locate_rejects_a_storage_without_a_documented_offset) {
    Buffer b = boot1_head(0x800, false);
    std::fill_n(b.begin(), 12, 0);
    std::copy_n("SF_BOOT", 7, b.begin());
    mtkfw::Notices notices;
    CHECK_THROWS(mtkfw::locate_gfh(b, "Boot1", notices), Exit::invalid_input,
                 "Boot1: SF_BOOT header without a BRLYT at 0x200: no documented preloader offset");
}
