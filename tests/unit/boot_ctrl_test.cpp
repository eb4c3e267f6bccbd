// format/boot_ctrl.h: both layouts of the A/B block at misc + 2048, on bytes laid out here by
// hand from the sources' field tables (MediaTek bootctrl.h, AOSP avb_ab_flow.h), CRC32 from zlib.
#include <zlib.h>

#include <array>
#include <vector>

#include "check.h"
#include "format/boot_ctrl.h"

namespace bc = mtkfw::boot_ctrl;

namespace {

// MediaTek: magic 0x19191100 little-endian, version, slot_info a, slot_info b.
std::vector<uint8_t> mtk(uint8_t a, uint8_t b, uint32_t magic = 0x19191100) {
    std::vector<uint8_t> v = {uint8_t(magic), uint8_t(magic >> 8), uint8_t(magic >> 16), uint8_t(magic >> 24), 1, a, b, 0};
    v.resize(32);
    return v;
}
// priority bits 0-2, retry_count 3-5, successful_boot bit 6.
constexpr uint8_t info(int prio, int retry, bool ok) { return uint8_t(prio | retry << 3 | (ok ? 0x40 : 0)); }

std::vector<uint8_t> avb(std::array<uint8_t, 3> a, std::array<uint8_t, 3> b, uint8_t major = 1) {
    std::vector<uint8_t> v = {0, 'A', 'B', '0', major, 0, 0, 0, a[0], a[1], a[2], 0, b[0], b[1], b[2], 0};
    v.resize(28);
    const uint32_t crc = static_cast<uint32_t>(crc32(0L, v.data(), 28));
    for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(crc >> s));  // big-endian
    return v;
}

}  // namespace

TEST(boot_ctrl_mtk_bit_fields_and_the_higher_priority) {
    const auto c = bc::parse(mtk(info(6, 3, true), info(7, 2, false)));
    CHECK(c.has_value());
    CHECK(c->layout == bc::Layout::mtk_boot_ctrl);
    CHECK_EQ(c->version, 1);
    CHECK_EQ(c->slots[0].priority, 6);
    CHECK_EQ(c->slots[0].tries, 3);
    CHECK(c->slots[0].successful);
    CHECK_EQ(c->slots[1].priority, 7);
    CHECK_EQ(c->slots[1].tries, 2);
    CHECK(!c->slots[1].successful);
    CHECK_EQ(c->active.value_or(-1), 1);
    CHECK_EQ(std::string(bc::layout_name(c->layout)), std::string("boot_ctrl"));
}

TEST(boot_ctrl_mtk_ties_go_to_a_and_priority_0_is_unbootable) {
    CHECK_EQ(bc::parse(mtk(info(7, 3, false), info(7, 3, true)))->active.value_or(-1), 0);
    CHECK_EQ(bc::parse(mtk(info(0, 3, true), info(1, 0, false)))->active.value_or(-1), 1);
    CHECK(!bc::parse(mtk(info(0, 3, true), info(0, 3, true)))->active.has_value());
    // normal_boot (bit 7) is no part of the priority.
    CHECK_EQ(bc::parse(mtk(uint8_t(info(5, 0, false) | 0x80), info(6, 0, false)))->slots[0].priority, 5);
}

TEST(boot_ctrl_avb_slots_crc_and_bootable_rule) {
    const auto c = bc::parse(avb({14, 0, 1}, {15, 7, 0}));
    CHECK(c.has_value());
    CHECK(c->layout == bc::Layout::avb_ab);
    CHECK_EQ(c->active.value_or(-1), 1);
    CHECK_EQ(std::string(bc::layout_name(c->layout)), std::string("avb_ab"));
    // No tries left and never booted: unbootable, whatever its priority.
    CHECK_EQ(bc::parse(avb({14, 3, 0}, {15, 0, 0}))->active.value_or(-1), 0);
    CHECK_EQ(bc::parse(avb({9, 0, 1}, {9, 0, 1}))->active.value_or(-1), 0);  // tie: a
    CHECK(!bc::parse(avb({0, 7, 1}, {0, 7, 1}))->active.has_value());
}

TEST(boot_ctrl_damaged_blocks_throw_and_absent_ones_are_none) {
    auto bad_crc = avb({15, 7, 0}, {14, 7, 0});
    bad_crc[31] ^= 1;
    CHECK_THROWS(bc::parse(bad_crc), mtkfw::Exit::invalid_input, "CRC32");
    CHECK_THROWS(bc::parse(avb({15, 7, 0}, {14, 7, 0}, 2)), mtkfw::Exit::invalid_input, "major version 2");
    const auto whole = avb({15, 7, 0}, {14, 7, 0});
    CHECK_THROWS(bc::parse(mtkfw::Bytes(whole).first(20)), mtkfw::Exit::invalid_input, "only 20 bytes");
    CHECK_THROWS(bc::parse(mtkfw::Bytes(mtk(1, 2)).first(6)), mtkfw::Exit::invalid_input, "only 6 bytes");
    CHECK(!bc::parse(mtk(info(7, 3, false), 0, 0x19191101)).has_value());
    CHECK(!bc::parse(std::vector<uint8_t>(32, 0xFF)).has_value());
    CHECK(!bc::parse(std::vector<uint8_t>(32, 0)).has_value());
    CHECK(!bc::parse(mtkfw::Bytes()).has_value());
}
