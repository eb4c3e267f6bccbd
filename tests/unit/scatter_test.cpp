// parse_scatter and write_scatter (scatter.h) on a two-row V1.1.2 text built here.
#include <string>

#include "check.h"
#include "format/scatter.h"

using mtkfw::Exit;
using mtkfw::parse_scatter;

namespace {
const std::string kGeneral =
    "- general: MTK_PLATFORM_CFG\n  info: \n    - config_version: V1.1.2\n      platform: MT6752\n"
    "      project: golden\n      storage: EMMC\n      boot_channel: MSDC_0\n      block_size: 0x20000\n";

std::string row(const std::string& index, const std::string& name, const std::string& download,
                const std::string& start, const std::string& size) {
    return "- partition_index: " + index + "\n  partition_name: " + name + "\n  file_name: " + name +
           ".img\n  is_download: " + download + "\n  type: NORMAL_ROM\n  linear_start_addr: " + start +
           "\n  physical_start_addr: " + start + "\n  partition_size: " + size +
           "\n  region: EMMC_USER\n  storage: HW_STORAGE_EMMC\n  boundary_check: true\n  is_reserved: false\n"
           "  operation_type: UPDATE\n  reserve: 0x00\n\n";
}
const std::string kText = kGeneral + row("SYS0", "boot", "true", "0x100000", "0x1000000") +
                          row("SYS1", "flashinfo", "false", "0xFFFF0084", "0x1000000");

// kText with the first `from` replaced by `to`.
std::string edited(const std::string& from, const std::string& to) {
    std::string s = kText;
    s.replace(s.find(from), from.size(), to);
    return s;
}
}  // namespace

TEST(scatter_reads_the_general_block_and_rows) {
    const auto s = parse_scatter(kText, "s.txt");
    CHECK_EQ(s.config_version, std::string("V1.1.2"));
    CHECK_EQ(s.platform, std::string("MT6752"));
    CHECK_EQ(s.storages.size(), 1u);
    CHECK_EQ(s.storages[0].block_size, 0x20000u);
    CHECK_EQ(s.partitions.size(), 2u);
    CHECK_EQ(s.partitions[0].size, 0x1000000u);
    CHECK(s.partitions[0].is_download);
    CHECK(mtkfw::scatter_end_relative(s.partitions[1].linear_start));
    CHECK_EQ(s.downloads().size(), 1u);
    CHECK_EQ(s.find("flashinfo")->index, std::string("SYS1"));
}

TEST(scatter_reads_crlf_the_same) {
    std::string crlf;
    for (char c : kText) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK(parse_scatter(crlf, "s.txt") == parse_scatter(kText, "s.txt"));
}

TEST(scatter_keeps_unknown_keys_in_order) {
    const auto s = parse_scatter(edited("  reserve: 0x00", "  d_type: LOW_PAGE\n  reserve: 0x00"), "s.txt");
    CHECK_EQ(s.partitions[0].extra.size(), 1u);
    CHECK_EQ(s.partitions[0].extra[0].second, std::string("LOW_PAGE"));
}

TEST(scatter_write_gives_back_its_own_text) {
    const std::string written = mtkfw::write_scatter(parse_scatter(kText, "s.txt"));
    CHECK_EQ(mtkfw::write_scatter(parse_scatter(written, "w.txt")), written);
    CHECK(written.find("linear_start_addr: 0xFFFF0084\n") != std::string::npos);
}

TEST(scatter_rejects_an_empty_text) {
    CHECK_THROWS(parse_scatter("", "s.txt"), Exit::invalid_input, "s.txt: empty scatter file");
    CHECK_THROWS(parse_scatter(" \t\r", "s.txt"), Exit::invalid_input, "s.txt: empty scatter file");
}

TEST(scatter_rejects_a_line_without_key_and_value) {
    CHECK_THROWS(parse_scatter(edited("  type: NORMAL_ROM", "  NORMAL_ROM"), "s.txt"), Exit::invalid_input,
                 "s.txt: line 13: expected 'key: value', got 'NORMAL_ROM'");
    CHECK_THROWS(parse_scatter(edited("  type:", "  ty pe:"), "s.txt"), Exit::invalid_input,
                 "with a key of letters, digits and '_', got 'ty pe: NORMAL_ROM'");
}

TEST(scatter_rejects_a_boolean_other_than_true_or_false) {
    CHECK_THROWS(parse_scatter(edited("is_download: true", "is_download: yes"), "s.txt"), Exit::invalid_input,
                 "s.txt: line 12: is_download: expected true or false, got 'yes'");
}

TEST(scatter_rejects_a_bad_number) {
    CHECK_THROWS(parse_scatter(edited("partition_size: 0x1000000", "partition_size: 16Q"), "s.txt"),
                 Exit::invalid_input, "s.txt: line 16: partition_size: unknown suffix in '16Q'");
}

TEST(scatter_rejects_a_repeated_key) {
    CHECK_THROWS(parse_scatter(edited("  type: NORMAL_ROM", "  type: NORMAL_ROM\n  type: EXT4_IMG"), "s.txt"),
                 Exit::invalid_input, "s.txt: line 14: repeated key 'type' in partition SYS0");
}

TEST(scatter_rejects_a_missing_key) {
    CHECK_THROWS(parse_scatter(edited("  partition_size: 0x1000000\n", ""), "s.txt"), Exit::invalid_input,
                 "s.txt: partition SYS0 (boot, line 9) has no partition_size");
}

TEST(scatter_rejects_no_config_version_platform_or_rows) {
    CHECK_THROWS(parse_scatter(edited("    - config_version: V1.1.2\n", ""), "s.txt"), Exit::invalid_input,
                 "s.txt: no config_version: not a scatter file");
    CHECK_THROWS(parse_scatter(edited("      platform: MT6752\n", ""), "s.txt"), Exit::invalid_input,
                 "s.txt: no platform in the general block");
    CHECK_THROWS(parse_scatter(kGeneral, "s.txt"), Exit::invalid_input, "s.txt: no partitions");
}

TEST(scatter_write_refuses_several_storages) {
    auto s = parse_scatter(kText, "s.txt");
    s.storages.push_back(s.storages[0]);
    CHECK_THROWS(mtkfw::write_scatter(s), Exit::invalid_input,
                 "config_version V1.1.2: only V1.x scatter files with one storage can be written");
}
