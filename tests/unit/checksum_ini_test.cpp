// parse_checksum_ini and write_checksum_ini (checksum_ini.h) on texts built here.
#include <cstdlib>
#include <string>

#include "check.h"
#include "format/checksum_ini.h"

using mtkfw::Exit;
using mtkfw::parse_checksum_ini;

namespace {
const std::string kV2 =
    "[VERSION]\r\nVERSION=V2\r\nTOOL=t\r\nChange_ID=1500000000\r\n[IsEnableChecksum]\r\nCHECKSUM_SWITCH=1\r\n"
    "[CheckSum]\r\nlk=0x5AA2\r\nboot=0x11DC\r\n[CheckSum_V2]\r\nlk=FFFC96C7-F5633FA6-8F4E4F7E-82DD0C15\r\n";

std::string with_checksum(const std::string& lines) { return "[CheckSum]\n" + lines; }
}  // namespace

// Every malformed Checksum.ini is invalid input naming c.ini and the line.
#define CHECK_INI_REJECTED(text, fragment) \
    CHECK_THROWS(parse_checksum_ini(text, "c.ini"), Exit::invalid_input, fragment)

TEST(ini_reads_every_section) {
    const auto ini = parse_checksum_ini(kV2, "Checksum.ini");
    CHECK_EQ(ini.version, std::string("V2"));
    CHECK_EQ(ini.change_id, std::string("1500000000"));
    CHECK_EQ(ini.v1.size(), 2u);
    CHECK_EQ(ini.v1[1].name, std::string("boot"));
    CHECK_EQ(ini.v1[1].sum, 0x11DC);
    CHECK_EQ(ini.v1[1].line, 9u);
    CHECK_EQ(ini.v2.size(), 1u);
    CHECK_EQ(ini.v2[0].md5[0], 0xFF);
    CHECK_EQ(ini.v2[0].md5[15], 0x15);
}

TEST(ini_round_trips_through_the_writer) {
    CHECK_EQ(mtkfw::write_checksum_ini(parse_checksum_ini(kV2, "Checksum.ini")), kV2);
}

TEST(ini_takes_lf_comments_blank_lines_and_spaces) {
    const auto ini = parse_checksum_ini("; made by hand\n\n[CheckSum]\n# ok\n  lk = 0xff  \n", "c.ini");
    CHECK_EQ(ini.v1.size(), 1u);
    CHECK_EQ(ini.v1[0].sum, 0xFF);
}

TEST(ini_ignores_unknown_sections) {
    CHECK_EQ(parse_checksum_ini("[Other]\nx=y\n[CheckSum]\nlk=0x1\n", "c.ini").v1.size(), 1u);
}

TEST(ini_rejects_a_malformed_section_header) {
    CHECK_INI_REJECTED("[CheckSum\n", "c.ini: line 1: malformed section header: '[CheckSum'");
}

TEST(ini_rejects_a_line_without_equals) {
    CHECK_INI_REJECTED(with_checksum("lk 0x1\n"), "c.ini: line 2: expected KEY=VALUE");
}

TEST(ini_rejects_an_empty_key) {
    CHECK_INI_REJECTED(with_checksum("=0x1\n"), "line 2: empty key");
}

TEST(ini_rejects_a_key_before_any_section) {
    CHECK_INI_REJECTED("lk=0x1\n[CheckSum]\n", "line 1: KEY=VALUE before any [section]");
}

TEST(ini_rejects_a_key_given_twice_in_a_section) {
    CHECK_INI_REJECTED(with_checksum("lk=0x1\nlk=0x2\n"), "line 3: 'lk' given twice in [CheckSum]");
}

TEST(ini_rejects_a_v1_value_that_is_not_0x_and_4_hex_digits) {
    for (const char* bad : {"lk=1234\n", "lk=0x12345\n", "lk=0x\n", "lk=0xG1\n"}) {
        CHECK_INI_REJECTED(with_checksum(bad), "line 2: not a V1 checksum (0x followed by up to 4 hex digits)");
    }
}

TEST(ini_rejects_a_v2_value_that_is_not_4_dashed_groups) {
    CHECK_INI_REJECTED("[CheckSum]\n[CheckSum_V2]\nlk=FFFC96C7F5633FA68F4E4F7E82DD0C15\n",
                       "line 3: not a V2 checksum (MD5 as 4 dash-separated groups of 8 hex digits)");
}

TEST(ini_rejects_a_file_without_checksum_section) {
    CHECK_INI_REJECTED("[VERSION]\nVERSION=V1\n", "c.ini: no [CheckSum] section: not a Checksum.ini");
}

TEST(ini_writer_refuses_a_name_that_cannot_be_a_key) {
    mtkfw::ChecksumIni ini;
    ini.v1.push_back({"a=b", 1, 0});
    CHECK_THROWS(mtkfw::write_checksum_ini(ini), Exit::invalid_input, "'a=b': cannot be a Checksum.ini key");
}

TEST(ini_value_formats) {
    CHECK_EQ(mtkfw::format_v1(0xFF), std::string("0x00FF"));
    std::array<uint8_t, 16> md5{};
    md5[0] = 0xAB;
    CHECK_EQ(mtkfw::format_v2(md5), std::string("AB000000-00000000-00000000-00000000"));
}

TEST(change_id_is_source_date_epoch_when_set) {
    setenv("SOURCE_DATE_EPOCH", "1500000000", 1);
    CHECK_EQ(mtkfw::change_id_now(), std::string("1500000000"));
    setenv("SOURCE_DATE_EPOCH", "15e8", 1);
    CHECK_THROWS(mtkfw::change_id_now(), Exit::usage, "SOURCE_DATE_EPOCH: '15e8' is not a number of seconds");
    unsetenv("SOURCE_DATE_EPOCH");
}
