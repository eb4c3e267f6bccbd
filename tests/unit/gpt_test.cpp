// parse_gpt_header and parse_gpt_entries on sectors built here (UEFI 2.10 section 5.3 layout,
// CRCs by zlib), one test per reject rule of gpt.h's table.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/gpt.h"
#include "ops/gpt_reader.h"

namespace {

uint32_t crc(const Buffer& b, size_t from, size_t n) { return static_cast<uint32_t>(crc32(0, b.data() + from, n)); }

// Two entries (LBA 34..2081 "boot", 2082..4129 "system"), the second slot empty, 4 slots of 128.
Buffer entries() {
    Buffer e(4 * 128, 0);
    auto entry = [&](size_t slot, uint64_t first, uint64_t last, const std::string& name) {
        uint8_t* p = e.data() + slot * 128;
        for (int i = 0; i < 16; ++i) p[i] = static_cast<uint8_t>(0xA0 + i);   // type
        for (int i = 0; i < 16; ++i) p[16 + i] = static_cast<uint8_t>(i);      // unique
        mtkfw::put_le64(p + 0x20, first);
        mtkfw::put_le64(p + 0x28, last);
        mtkfw::put_le64(p + 0x30, 0x8000000000000000ull);
        for (size_t i = 0; i < name.size(); ++i) p[0x38 + 2 * i] = static_cast<uint8_t>(name[i]);
    };
    entry(0, 34, 2081, "boot");
    entry(2, 2082, 4129, "system");
    return e;
}

// A primary header (LBA 1, backup at 8191) for `e`; `edit` changes fields before the CRC is made.
template <class Edit> Buffer header(const Buffer& e, Edit edit) {
    Buffer h(512, 0);
    std::copy_n("EFI PART", 8, h.begin());
    mtkfw::put_le32(&h[0x08], 0x00010000);
    mtkfw::put_le32(&h[0x0C], 92);
    mtkfw::put_le64(&h[0x18], 1);
    mtkfw::put_le64(&h[0x20], 8191);
    mtkfw::put_le64(&h[0x28], 34);
    mtkfw::put_le64(&h[0x30], 8158);
    for (int i = 0; i < 16; ++i) h[0x38 + i] = static_cast<uint8_t>(i);
    mtkfw::put_le64(&h[0x48], 2);
    mtkfw::put_le32(&h[0x50], 4);
    mtkfw::put_le32(&h[0x54], 128);
    mtkfw::put_le32(&h[0x58], crc(e, 0, e.size()));
    edit(h);
    mtkfw::put_le32(&h[0x10], crc(h, 0, mtkfw::le32(h, 0x0C)));
    return h;
}
Buffer header(const Buffer& e) { return header(e, [](Buffer&) {}); }

// The reason a parser gives (the whole text of its invalid-input Failure); "" when it accepted.
template <class Parse> std::string why_rejected_by(Parse parse) {
    try {
        parse();
    } catch (const mtkfw::Failure& f) {
        CHECK(f.code() == mtkfw::Exit::invalid_input);
        return f.what();
    }
    return "";
}

std::string why_rejected(const Buffer& h, uint64_t lba = 1) {
    const std::string why = why_rejected_by([&] { mtkfw::parse_gpt_header(h, lba); });
    CHECK(!why.empty());
    return why;
}

std::string why_entries_rejected(const Buffer& e, const mtkfw::GptHeader& h) {
    const std::string why = why_rejected_by([&] { mtkfw::parse_gpt_entries(e, h, 512); });
    CHECK(!why.empty());
    return why;
}

}  // namespace

TEST(header_fields_are_read) {
    const mtkfw::GptHeader h = mtkfw::parse_gpt_header(header(entries()), 1);
    CHECK_EQ(h.alternate_lba, 8191u);
    CHECK_EQ(h.first_usable_lba, 34u);
    CHECK_EQ(h.last_usable_lba, 8158u);
    CHECK_EQ(h.entries_lba, 2u);
    CHECK_EQ(h.entries_bytes(), 512u);
    CHECK_EQ(h.disk_guid, std::string("03020100-0504-0706-0809-0A0B0C0D0E0F"));
}

TEST(header_at_an_unknown_lba_skips_the_my_lba_check) {
    CHECK_EQ(why_rejected_by([] { mtkfw::parse_gpt_header(header(entries()), 0); }), std::string());
}

TEST(header_rejects_no_signature) {
    Buffer h = header(entries());
    h[0] = 'X';
    CHECK_EQ(why_rejected(h), std::string("no \"EFI PART\" signature"));
    CHECK_EQ(why_rejected(Buffer(h.begin(), h.begin() + 91)), std::string("no \"EFI PART\" signature"));
}

TEST(header_rejects_a_size_below_92_or_past_the_sector) {
    CHECK_EQ(why_rejected(header(entries(), [](Buffer& h) { mtkfw::put_le32(&h[0x0C], 91); })),
             std::string("header size 91 out of range"));
    Buffer h = header(entries());
    mtkfw::put_le32(&h[0x0C], 513);
    CHECK_EQ(why_rejected(h), std::string("header size 513 out of range"));
}

TEST(header_rejects_a_crc_mismatch) {
    Buffer h = header(entries());
    h[0x28] ^= 1;
    CHECK_EQ(why_rejected(h), std::string("header CRC32 mismatch"));
}

TEST(header_rejects_being_found_elsewhere) {
    CHECK_EQ(why_rejected(header(entries()), 8191), std::string("header says it is at LBA 1, found at LBA 8191"));
}

TEST(header_rejects_first_usable_after_last) {
    CHECK_EQ(why_rejected(header(entries(), [](Buffer& h) { mtkfw::put_le64(&h[0x28], 8159); })),
             std::string("first usable LBA is after the last"));
}

TEST(header_rejects_entry_sizes_not_128_times_a_power_of_two) {
    for (uint32_t size : {64u, 192u, 8192u}) {
        CHECK_EQ(why_rejected(header(entries(), [&](Buffer& h) { mtkfw::put_le32(&h[0x54], size); })),
                 "entry array of 4 x " + std::to_string(size) + " bytes is invalid");
    }
    CHECK_EQ(why_rejected(header(entries(), [](Buffer& h) { mtkfw::put_le32(&h[0x50], 0); })),
             std::string("entry array of 0 x 128 bytes is invalid"));
}

TEST(header_rejects_entries_on_the_header) {
    CHECK_EQ(why_rejected(header(entries(), [](Buffer& h) { mtkfw::put_le64(&h[0x48], 1); })),
             std::string("entry array overlaps the header"));
}

TEST(entries_become_rows_skipping_unused_slots) {
    const Buffer e = entries();
    const mtkfw::PartitionTable t = mtkfw::parse_gpt_entries(e, mtkfw::parse_gpt_header(header(e), 1), 512);
    CHECK_EQ(t.rows.size(), 2u);
    CHECK_EQ(t.disk_size, 8192u * 512);
    CHECK_EQ(t.rows[1].index, 3u);
    CHECK_EQ(t.rows[1].name, std::string("system"));
    CHECK_EQ(t.rows[1].start, 2082u * 512);
    CHECK_EQ(t.rows[1].size, 2048u * 512);
    CHECK_EQ(t.rows[0].type_guid, std::string("A3A2A1A0-A5A4-A7A6-A8A9-AAABACADAEAF"));
    CHECK_EQ(t.rows[0].attributes, 0x8000000000000000ull);
}

TEST(entries_reject_a_crc_mismatch_or_a_short_array) {
    Buffer e = entries();
    const mtkfw::GptHeader h = mtkfw::parse_gpt_header(header(e), 1);
    e[0x38] ^= 1;
    CHECK_EQ(why_entries_rejected(e, h), std::string("partition entry array CRC32 mismatch"));
    e.pop_back();
    CHECK_EQ(why_entries_rejected(e, h), std::string("partition entry array CRC32 mismatch"));
}

TEST(entries_reject_first_after_last) {
    Buffer e = entries();
    mtkfw::put_le64(&e[0x20], 3000);
    const mtkfw::GptHeader h = mtkfw::parse_gpt_header(header(e), 1);
    CHECK_EQ(why_entries_rejected(e, h), std::string("entry 1 has an invalid range (LBA 3000 to 2081)"));
}

TEST(entries_reject_a_disk_past_64_bits) {
    const Buffer e = entries();
    const mtkfw::GptHeader h =
        mtkfw::parse_gpt_header(header(e, [](Buffer& b) { mtkfw::put_le64(&b[0x20], UINT64_MAX / 512); }), 1);
    CHECK_EQ(why_entries_rejected(e, h), "alternate LBA " + std::to_string(UINT64_MAX / 512) + " is out of range");
}

TEST(sector_size_is_512_or_4096) {
    CHECK_EQ(mtkfw::parse_sector_size("4K", "--sector-size"), 4096u);
    CHECK_THROWS(mtkfw::parse_sector_size("1024", "--sector-size"), mtkfw::Exit::usage, "--sector-size: must be 512 or 4096");
}

TEST(readback_length_covers_the_sgpt_area_and_at_least_the_backup) {
    mtkfw::PartitionTable t;
    t.sector_size = 512;
    t.last_lba = 0x2D000000 / 512 - 1;  // the demo sample: usable area up to 0x2D000000
    t.disk_size = 0x2D000000 + 33 * 512;
    CHECK_EQ(mtkfw::readback_length(t), 0x2D080000u);
    CHECK_EQ(mtkfw::readback_length_text(t), std::string("start address 0x0, length 0x2D080000"));
    t.disk_size = 0x40000000;  // a backup header further out than sgpt would end
    CHECK_EQ(mtkfw::readback_length(t), 0x40000000u);
    t.last_lba = UINT64_MAX - 1;  // a lying table: no length covers it, and nothing wraps
    CHECK_EQ(mtkfw::readback_length(t), UINT64_MAX);
}
