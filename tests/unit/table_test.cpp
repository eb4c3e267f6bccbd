// parse_tsv: the table gpt-list --tsv writes and scatter-gen reads (table.h), on texts built here.
#include <string>

#include "check.h"
#include "format/table.h"

using mtkfw::Exit;
using mtkfw::parse_tsv;
using mtkfw::PartitionTable;
using mtkfw::write_tsv;

namespace {
const std::string kHead = "# mtkfw-table 1 sector_size=512 dump_size=67108864 disk_size=66601472 first_lba=34 "
                          "last_lba=130047 disk_guid=G readback_length=67108864 storage=emmc platform=MT6752\n";
const std::string kColumns = "index\tname\tstart\tsize\tcontent\tlabel\ttype\tuuid\tattributes\n";
const std::string kRow = "8\tsystem\t8388608\t20971520\text4\tsys\\x09a\tT\tU\t0x8000000000000000\n";
}  // namespace

TEST(tsv_reads_the_facts_and_rows) {
    const auto t = parse_tsv(kHead + kColumns + kRow, "t.tsv");
    CHECK_EQ(t.sector_size, 512u);
    CHECK_EQ(t.dump_size.value_or(0), 67108864u);
    CHECK_EQ(t.last_lba, 130047u);
    CHECK_EQ(t.platform, std::string("MT6752"));
    CHECK_EQ(t.rows.size(), 1u);
    CHECK_EQ(t.rows[0].index, 8u);
    CHECK_EQ(t.rows[0].end(), 8388608u + 20971520u);
    CHECK_EQ(t.rows[0].label, std::string("sys\ta"));  // \xNN escapes undone
    CHECK_EQ(t.rows[0].attributes, 0x8000000000000000ull);
}

TEST(tsv_round_trips_through_write_tsv) {
    const std::string text = kHead + kColumns + kRow;
    CHECK_EQ(mtkfw::write_tsv(parse_tsv(text, "t.tsv")), text);
}

TEST(tsv_slot_facts_round_trip_and_a_strange_slot_is_none) {
    std::string head = kHead;
    head.insert(head.size() - 1, " slot=b slot_source=avb_ab");
    const auto t = parse_tsv(head + kColumns, "t.tsv");
    CHECK_EQ(t.slot, std::string("b"));
    CHECK_EQ(t.slot_source, std::string("avb_ab"));
    CHECK_EQ(mtkfw::write_tsv(t), head + kColumns);
    std::string odd = kHead;
    odd.insert(odd.size() - 1, " slot=c slot_source=x");
    CHECK(parse_tsv(odd + kColumns, "t.tsv").slot.empty());
    CHECK(parse_tsv(odd + kColumns, "t.tsv").slot_source.empty());
}

TEST(tsv_userdata_key_facts_round_trip) {
    std::string head = kHead;
    head.insert(head.size() - 1,
                " metadata=md_udc metadata_source=fstab:super/vendor_a:/etc/fstab.mt6765 userdata_encryption=metadata");
    const auto t = parse_tsv(head + kColumns, "t.tsv");
    CHECK_EQ(t.metadata, std::string("md_udc"));
    CHECK_EQ(t.metadata_source, std::string("fstab:super/vendor_a:/etc/fstab.mt6765"));
    CHECK_EQ(t.userdata_encryption, std::string("metadata"));
    CHECK_EQ(mtkfw::write_tsv(t), head + kColumns);
    CHECK(parse_tsv(kHead + kColumns, "t.tsv").metadata.empty());
}

TEST(tsv_storage_follows_the_sector_size) {
    auto t = parse_tsv(kHead + kColumns, "t.tsv");
    CHECK_EQ(mtkfw::storage_of(t), std::string("emmc"));
    t.sector_size = 4096;
    CHECK_EQ(mtkfw::storage_of(t), std::string("ufs"));
    CHECK(mtkfw::write_tsv(t).find(" storage=ufs ") != std::string::npos);
    CHECK(mtkfw::write_json(t, "d").find("\"storage\": \"ufs\"") != std::string::npos);
}

TEST(tsv_dump_size_unknown_from_a_pipe) {
    std::string head = kHead;
    head.replace(head.find("67108864"), 8, "unknown");
    CHECK(!parse_tsv(head + kColumns, "t.tsv").dump_size.has_value());
}

TEST(tsv_rejects_an_empty_text) {
    CHECK_THROWS(parse_tsv("", "standard input"), Exit::invalid_input,
                 "standard input: empty partition table (did the command before this one fail?)");
}

TEST(tsv_rejects_another_file) {
    CHECK_THROWS(parse_tsv("proinfo 0x80000\n", "ota.txt"), Exit::invalid_input,
                 "ota.txt: not an mtkfw partition table (expected the tab-separated table of gpt-list)");
}

TEST(tsv_rejects_a_missing_fact) {
    CHECK_THROWS(parse_tsv("# mtkfw-table 1 sector_size=512 dump_size=1 disk_size=1 first_lba=34\n" + kColumns, "t"),
                 Exit::invalid_input, "t: line 1: missing last_lba");
}

TEST(tsv_rejects_a_sector_size_other_than_512_or_4096) {
    std::string head = kHead;
    head.replace(head.find("=512"), 4, "=1024");
    CHECK_THROWS(parse_tsv(head + kColumns, "t"), Exit::invalid_input, "t: line 1: sector_size must be 512 or 4096");
}

TEST(tsv_rejects_a_bad_number) {
    std::string head = kHead;
    head.replace(head.find("67108864"), 8, "64M");
    CHECK_THROWS(parse_tsv(head + kColumns, "t"), Exit::invalid_input, "t: line 1: bad dump_size '64M'");
    CHECK_THROWS(parse_tsv(kHead + kColumns + "1\tx\t99999999999999999999\t1\tzero\t\tT\tU\t0x0\n", "t"),
                 Exit::invalid_input, "t: line 3: start too large");
}

TEST(tsv_rejects_other_columns) {
    CHECK_THROWS(parse_tsv(kHead + "index\tname\n", "t"), Exit::invalid_input, "t: line 2: expected the column names");
}

TEST(tsv_rejects_a_row_without_9_fields) {
    CHECK_THROWS(parse_tsv(kHead + kColumns + "1\tboot\t0\t1\tzero\t\tT\tU\n", "t"), Exit::invalid_input,
                 "t: line 3: expected 9 tab-separated fields, got 8");
}

TEST(tsv_rejects_index_0) {
    CHECK_THROWS(parse_tsv(kHead + kColumns + "0\tboot\t0\t1\tzero\t\tT\tU\t0x0\n", "t"), Exit::invalid_input,
                 "t: line 3: bad index");
}

TEST(tsv_index_0_only_in_an_mbr_table_a_templates_raw_row) {
    // label=mbr: a template's raw row (no table entry) has index 0 and round-trips.
    std::string head = kHead;
    head.insert(head.find('\n'), " label=mbr");
    const std::string text = head + kColumns + "0\tUBOOT\t30539776\t393216\tmtk-image\tLK\t\t\t0x0\n";
    const PartitionTable t = parse_tsv(text, "t");
    CHECK(t.label == "mbr");
    CHECK(t.rows.size() == 1 && t.rows[0].index == 0 && t.rows[0].name == "UBOOT" && t.rows[0].start == 30539776);
    CHECK(parse_tsv(write_tsv(t), "t").rows[0].index == 0);
}

TEST(tsv_rejects_a_range_past_64_bits) {
    CHECK_THROWS(parse_tsv(kHead + kColumns + "1\tboot\t18446744073709551615\t1\tzero\t\tT\tU\t0x0\n", "t"),
                 Exit::invalid_input, "t: line 3: start + size overflows");
}

TEST(tsv_reads_only_version_1) {
    // The version is the whole word after "# mtkfw-table": 10 is not 1 followed by something.
    for (const std::string version : {"10", "2", "1x"}) {
        CHECK_THROWS(parse_tsv("# mtkfw-table " + version + kHead.substr(15) + kColumns, "t"), Exit::invalid_input,
                     "t: line 1: not an mtkfw partition table of version 1 (it says version " + version + ")");
    }
}

TEST(tsv_ignores_header_keys_it_does_not_know) {
    const auto t = parse_tsv(kHead.substr(0, kHead.size() - 1) + " future=yes word\n" + kColumns + kRow, "t");
    CHECK_EQ(t.platform, std::string("MT6752"));
    CHECK_EQ(t.rows.size(), 1u);
}
