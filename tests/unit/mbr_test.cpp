// parse_sector and is_mediatek_mbr on sectors built here (format/mbr.h's table), and read_mbr on
// small in-memory dumps: one test per reject rule of ops/mbr_reader.h.
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/mbr.h"
#include "io/input.h"
#include "ops/mbr_reader.h"

namespace {

void slot(uint8_t* sector, size_t i, uint8_t type, uint32_t lba, uint32_t count) {
    uint8_t* e = sector + 446 + 16 * i;
    e[4] = type;
    mtkfw::put_le32(e + 8, lba);
    mtkfw::put_le32(e + 12, count);
}

Buffer table(std::initializer_list<std::array<uint32_t, 3>> slots) {
    Buffer b(512, 0);
    size_t i = 0;
    for (const auto& s : slots) slot(b.data(), i++, static_cast<uint8_t>(s[0]), s[1], s[2]);
    b[510] = 0x55;
    b[511] = 0xAA;
    return b;
}

// A 1 MiB dump: MBR (link to EBR1 at sector 8, data at 16, 24, 32), EBR1 at sector 8 with data at
// +32 (8 sectors) and a link to EBR2 at EBR1 + 48, EBR2 with the last data at +8 counting to the end.
Buffer dump() {
    Buffer d(1 << 20, 0);
    const Buffer m = table({{0x05, 8, 0xFFFFFFFF}, {0x83, 16, 8}, {0x83, 24, 8}, {0x83, 32, 8}});
    const Buffer e1 = table({{0x83, 32, 8}, {0x05, 48, 0xFFFFFFFF}});
    const Buffer e2 = table({{0x83, 8, 0xFFFFFFFF - (48 + 8)}});
    std::copy(m.begin(), m.end(), d.begin());
    std::copy(e1.begin(), e1.end(), d.begin() + 8 * 512);
    std::copy(e2.begin(), e2.end(), d.begin() + 56 * 512);
    return d;
}

mtkfw::PartitionTable read(const Buffer& d) {
    mtkfw::Input in = mtkfw::Input::memory("dump", d.data(), d.size(), d.size());
    mtkfw::Notices notices;
    const std::optional<uint64_t> at = mtkfw::find_mbr(in);
    if (!at) mtkfw::fail_input("dump", "no MBR found");
    return mtkfw::read_mbr(in, *at, notices);
}

}  // namespace

TEST(mbr_parse_sector_reads_the_slots) {
    const mtkfw::mbr::Sector s = mtkfw::mbr::parse_sector(table({{0x05, 0x400, 0xFFFFFFFF}, {0x83, 0x4800, 0x5000}}));
    CHECK(s.slots[0].link());
    CHECK_EQ(s.slots[1].type, 0x83);
    CHECK_EQ(s.slots[1].lba, 0x4800u);
    CHECK_EQ(s.slots[1].count, 0x5000u);
    CHECK(s.slots[2].empty());
}

TEST(mbr_without_55aa_is_not_a_table) {
    CHECK_THROWS(mtkfw::mbr::parse_sector(edited(table({}), [](Buffer& b) { b[511] = 0; })), mtkfw::Exit::invalid_input,
                 "no 55 AA signature");
    CHECK_THROWS(mtkfw::mbr::parse_sector(Buffer(100, 0)), mtkfw::Exit::invalid_input, "512 bytes");
}

TEST(mbr_mediatek_shape) {
    CHECK(mtkfw::mbr::is_mediatek_mbr(table({{0x05, 8, 1}, {0x83, 16, 8}, {0x83, 24, 8}, {0x83, 32, 8}})));
    CHECK(!mtkfw::mbr::is_mediatek_mbr(table({{0xEE, 1, 100}})));  // a GPT's protective MBR
    CHECK(!mtkfw::mbr::is_mediatek_mbr(table({{0x05, 8, 1}, {0x83, 16, 8}, {0x0C, 24, 8}, {0x83, 32, 8}})));
    CHECK_EQ(mtkfw::mbr::type_text(0x83), std::string("83"));
    CHECK_EQ(mtkfw::mbr::type_text(0x05), std::string("5"));
}

TEST(mbr_chain_numbering_and_to_the_end) {
    const mtkfw::PartitionTable t = read(dump());
    CHECK_EQ(t.label, std::string("mbr"));
    CHECK_EQ(t.rows.size(), size_t{6});
    CHECK_EQ(t.rows[0].index, 1u);
    CHECK_EQ(t.rows[0].start, uint64_t{8 * 512});
    CHECK_EQ(t.rows[4].index, 5u);
    CHECK_EQ(t.rows[4].start, uint64_t{(8 + 32) * 512});
    CHECK_EQ(t.sources.at(5), std::string("EBR1"));
    CHECK_EQ(t.rows[5].index, 6u);
    CHECK_EQ(t.rows[5].start, uint64_t{(56 + 8) * 512});  // data relative to EBR2 itself
    CHECK_EQ(t.rows[5].end(), uint64_t{1 << 20});          // the to-the-end count ends with the dump
}

TEST(mbr_chain_rejects) {
    // The last count not MediaTek's "to the end" one: cut.
    CHECK_THROWS(read(edited(dump(), [](Buffer& d) { mtkfw::put_le32(&d[56 * 512 + 446 + 12], 0x7FFFFFFF); })),
                 mtkfw::Exit::invalid_input, "EBR2 slot 0 (p6)");
    // EBR2 links back to EBR1.
    CHECK_THROWS(read(edited(dump(), [](Buffer& d) { slot(&d[56 * 512], 3, 0x05, 0, 1); })), mtkfw::Exit::invalid_input,
                 "EBR2 slot 3 links back to the table at 0x1000: a loop");
    // EBR1's link to a sector without 55 AA.
    CHECK_THROWS(read(edited(dump(), [](Buffer& d) { mtkfw::put_le32(&d[8 * 512 + 446 + 16 + 8], 100); })),
                 mtkfw::Exit::invalid_input, "EBR2 at 0xd800: no 55 AA signature at byte 510 (EBR1 slot 1 links");
    // Past the dump.
    CHECK_THROWS(read(edited(dump(), [](Buffer& d) { mtkfw::put_le32(&d[8 * 512 + 446 + 16 + 8], 1 << 20); })),
                 mtkfw::Exit::invalid_input, "is past the end of the dump (EBR1 slot 1 links");
    // A data entry over its own table.
    CHECK_THROWS(read(edited(dump(), [](Buffer& d) { mtkfw::put_le32(&d[8 * 512 + 446 + 8], 0); })),
                 mtkfw::Exit::invalid_input, "overlaps");
    // Two links in one EBR.
    CHECK_THROWS(read(edited(dump(), [](Buffer& d) { slot(&d[8 * 512], 2, 0x0F, 200, 1); })), mtkfw::Exit::invalid_input,
                 "two links");
}
