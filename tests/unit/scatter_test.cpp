// parse_scatter and write_scatter (scatter.h) on a two-row V1.1.2 text built here, and each writer
// form (V1.x 14/16/17 keys, V1.1.8, V2.x sections, CRLF, XML V1.x and V2.x) on models built in code:
// the bytes expected are MediaTek's layouts as MODERN.md 1.1, 1.2 and 1.6 transcribe the stock files.
#include <algorithm>
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

std::string crlf(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
}

TEST(scatter_reads_crlf_the_same_and_keeps_its_line_end) {
    auto s = parse_scatter(crlf(kText), "s.txt");
    CHECK_EQ(s.style.line_end, std::string("\r\n"));
    CHECK_EQ(mtkfw::write_scatter(s).find("\n"), mtkfw::write_scatter(s).find("\r\n") + 1);
    s.style.line_end = "\n";
    CHECK(s == parse_scatter(kText, "s.txt"));
}

TEST(scatter_reads_mixed_line_ends_as_the_first_line_says) {
    std::string mixed = crlf(kGeneral) + kText.substr(kGeneral.size());
    const auto s = parse_scatter(mixed, "s.txt");
    CHECK_EQ(s.style.line_end, std::string("\r\n"));
    const std::string written = mtkfw::write_scatter(s);
    CHECK_EQ(written, crlf(mtkfw::write_scatter(parse_scatter(kText, "s.txt"))));
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
                 "config_version V1.1.2: a V1.x file has exactly one storage, this model has 2");
}

// --- each writer form, on models built here -------------------------------------------------

namespace {
using mtkfw::Scatter;
using mtkfw::ScatterFormat;
using mtkfw::ScatterPartition;
using mtkfw::write_scatter;

const std::string kRule(108, '#');

ScatterPartition part(const std::string& index, const std::string& name, uint64_t start, uint64_t size,
                      const std::string& storage_type = "") {
    ScatterPartition p;
    p.storage_type = storage_type;
    p.index = index;
    p.name = name;
    p.file_name = name + ".img";
    p.is_download = true;
    p.type = "NORMAL_ROM";
    p.linear_start = p.physical_start = start;
    p.size = size;
    p.region = storage_type == "UFS" ? "UFS_LU2" : "EMMC_USER";
    p.storage = storage_type == "UFS" ? "HW_STORAGE_UFS" : "HW_STORAGE_EMMC";
    p.operation_type = "UPDATE";
    return p;
}

Scatter v1(const std::string& version) {
    Scatter s;
    s.config_version = version;
    s.platform = "MT6765";
    s.project = "k62v1_64_bsp";
    s.storages = {{"EMMC", "MSDC_0", 0x20000}};
    s.partitions = {part("SYS0", "boot", 0x1000000, 0x2000000), part("SYS1", "flashinfo", 0xFFFF0080, 0x1000000)};
    s.partitions[1].physical_start = 0xFFFF0080;
    return s;
}

Scatter v2() {
    Scatter s;
    s.config_version = "V2.1.0";
    s.platform = "MT6893";
    s.project = "k6893v1_64";
    s.storages = {{"EMMC", "MSDC_0", 0x20000}, {"UFS", "UFSHCI_0", 0x80000}};
    for (const char* st : {"EMMC", "UFS"}) {
        s.partitions.push_back(part("SYS0", "boot_a", 0x1000000, 0x2000000, st));
        s.partitions.push_back(part("SYS1", "sgpt", 0xFFFF0000, 0x8000, st));
        s.partitions.back().is_upgradable = false;
        s.partitions.back().empty_boot_needed = false;
    }
    return s;
}

// write, then parse: the same model, and writing that gives the same bytes.
std::string round_trip(const Scatter& s) {
    const std::string text = write_scatter(s);
    const Scatter again = parse_scatter(text, "written");
    CHECK(again == s);
    CHECK_EQ(write_scatter(again), text);
    return text;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST(scatter_writes_v1_14_keys_as_mediatek) {
    const std::string text = round_trip(v1("V1.1.2"));
    CHECK(text.starts_with(kRule + "\n#\n#  General Setting\n#\n" + kRule + "\n- general: MTK_PLATFORM_CFG\n  info: \n"
                           "    - config_version: V1.1.2\n      platform: MT6765\n      project: k62v1_64_bsp\n"
                           "      storage: EMMC\n      boot_channel: MSDC_0\n      block_size: 0x20000\n" +
                           kRule + "\n#\n#  Layout Setting\n#\n" + kRule + "\n- partition_index: SYS0\n"));
    CHECK(has(text, "  operation_type: UPDATE\n  reserve: 0x00\n\n- partition_index: SYS1\n"));
    CHECK(text.ends_with("  linear_start_addr: 0xFFFF0080\n  physical_start_addr: 0xFFFF0080\n  partition_size: 0x1000000\n"
                         "  region: EMMC_USER\n  storage: HW_STORAGE_EMMC\n  boundary_check: true\n  is_reserved: false\n"
                         "  operation_type: UPDATE\n  reserve: 0x00\n\n"));
}

TEST(scatter_writes_16_and_17_keys_in_mediateks_order) {
    Scatter s = v1("V1.1.2");
    s.partitions[0].is_upgradable = true;
    s.partitions[0].empty_boot_needed = false;
    CHECK(has(round_trip(s), "  operation_type: UPDATE\n  is_upgradable: true\n  empty_boot_needed: false\n  reserve: 0x00\n"));
    s.partitions[0].combo_partsize_check = false;
    s.partitions[0].extra = {{"d_type", "LOW_PAGE"}};
    CHECK(has(round_trip(s), "  is_upgradable: true\n  empty_boot_needed: false\n  combo_partsize_check: false\n"
                             "  d_type: LOW_PAGE\n  reserve: 0x00\n"));
    // MT6737M's 15 keys: empty_boot_needed alone
    s.partitions[0] = part("SYS0", "boot", 0x1000000, 0x2000000);
    s.partitions[0].empty_boot_needed = true;
    CHECK(has(round_trip(s), "  operation_type: UPDATE\n  empty_boot_needed: true\n  reserve: 0x00\n"));
}

TEST(scatter_writes_v118_modem_keys_after_block_size) {
    Scatter s = v1("V1.1.8");
    s.general_extra = {{"modem_check", "false"}, {"modem", "NA"}};
    CHECK(has(round_trip(s), "      block_size: 0x20000\n      modem_check: false\n      modem: NA\n" + kRule + "\n"));
}

TEST(scatter_writes_header_comments_and_banners_of_the_style) {
    Scatter s = v1("V1.1.2");
    s.style.header_comments = {"######build_prefix:Redmi/dandelion/dandelion:10", "######timestamp:1690000000"};
    s.style.layout_banner = "EMMC Layout Setting";
    s.style.general_banner = {"#", "#  General Setting ", "#    "};
    s.style.physical_tail_prefix = "0xffff";
    const std::string text = round_trip(s);
    CHECK(text.starts_with(kRule + "\n#\n#  General Setting \n#    \n" + kRule + "\n"));
    CHECK(has(text, "      block_size: 0x20000\n######build_prefix:Redmi/dandelion/dandelion:10\n######timestamp:1690000000\n" +
                        kRule + "\n#\n#  EMMC Layout Setting\n#\n" + kRule + "\n"));
    CHECK(has(text, "  linear_start_addr: 0xFFFF0080\n  physical_start_addr: 0xffff0080\n"));
}

TEST(scatter_writes_crlf_without_the_last_blank_line) {
    Scatter s = v1("V1.1.8");
    s.style.line_end = "\r\n";
    s.style.blank_after_last = false;
    const std::string text = round_trip(s);
    CHECK(text.ends_with("  reserve: 0x00\r\n\r\n- partition_index: SYS1\r\n" + text.substr(text.rfind("  partition_name: flashinfo"))));
    CHECK(text.ends_with("  operation_type: UPDATE\r\n  reserve: 0x00\r\n"));
    CHECK_EQ(std::count(text.begin(), text.end(), '\n'), std::count(text.begin(), text.end(), '\r'));
}

TEST(scatter_writes_v2_sections_as_modern_1_2) {
    const std::string text = round_trip(v2());
    // MODERN.md 1.2, a stock MT6893 scatter, LF
    CHECK(has(text, "    - config_version: V2.1.0\n      platform: MT6893\n      project: k6893v1_64\n" + kRule +
                        "\n#\n#  EMMC Layout Setting\n#\n" + kRule + "\n- storage_type: EMMC\n  description: \n"
                        "  - general: MTK_STORAGE_CFG\n    info: \n      - storage: EMMC\n        boot_channel: MSDC_0\n"
                        "        block_size: 0x20000\n\n  - partition_index: SYS0\n    partition_name: boot_a\n"));
    CHECK(has(text, "    is_upgradable: false\n    empty_boot_needed: false\n    reserve: 0x00\n\n" + kRule +
                        "\n#\n#  UFS Layout Setting\n#\n" + kRule + "\n- storage_type: UFS\n  description: \n"
                        "  - general: MTK_STORAGE_CFG\n    info: \n      - storage: UFS\n        boot_channel: UFSHCI_0\n"
                        "        block_size: 0x80000\n\n  - partition_index: SYS0\n"));
    CHECK(text.ends_with("    region: UFS_LU2\n    storage: HW_STORAGE_UFS\n    boundary_check: true\n    is_reserved: false\n"
                         "    operation_type: UPDATE\n    is_upgradable: false\n    empty_boot_needed: false\n"
                         "    reserve: 0x00\n\n"));
    CHECK_EQ(parse_scatter(text, "w").downloads("UFS").size(), 2u);
}

TEST(scatter_writes_xml_v1_as_the_mt6768_sample) {
    Scatter s = v1("V1.1.8");
    s.style.format = ScatterFormat::xml;
    s.partitions[0].is_upgradable = true;
    s.partitions[0].file_name = "a&b<c>.img";
    const std::string text = round_trip(s);
    // MODERN.md 1.6 (MT6768_Android_scatter.xml of the p325a package)
    CHECK(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\n<root>\n  <general name=\"MTK_PLATFORM_CFG\">\n"
                           "    <config_version name=\"V1.1.8\">\n      <platform>MT6765</platform>\n"
                           "      <project>k62v1_64_bsp</project>\n      <storage>EMMC</storage>\n"
                           "      <boot_channel>MSDC_0</boot_channel>\n      <block_size>0x20000</block_size>\n"
                           "    </config_version>\n  </general>\n  <partition_index name=\"SYS0\">\n"
                           "    <partition_name>boot</partition_name>\n    <file_name>a&amp;b&lt;c&gt;.img</file_name>\n"));
    CHECK(has(text, "    <operation_type>UPDATE</operation_type>\n    <is_upgradable>true</is_upgradable>\n"
                    "    <reserve>0x00</reserve>\n  </partition_index>\n"));
    CHECK(text.ends_with("  </partition_index>\n</root>\n"));
}

TEST(scatter_writes_xml_v2_sections) {
    Scatter s = v2();
    s.style.format = ScatterFormat::xml;
    const std::string text = round_trip(s);
    // MODERN.md 1.6: <storage_type name=...> sections, each with its MTK_STORAGE_CFG block first
    CHECK(has(text, "    <config_version name=\"V2.1.0\">\n      <platform>MT6893</platform>\n"
                    "      <project>k6893v1_64</project>\n    </config_version>\n  </general>\n"
                    "  <storage_type name=\"EMMC\">\n    <general name=\"MTK_STORAGE_CFG\">\n      <storage name=\"EMMC\">\n"
                    "        <boot_channel>MSDC_0</boot_channel>\n        <block_size>0x20000</block_size>\n"
                    "      </storage>\n    </general>\n    <partition_index name=\"SYS0\">\n"
                    "      <partition_name>boot_a</partition_name>\n"));
    CHECK(has(text, "    </partition_index>\n  </storage_type>\n  <storage_type name=\"UFS\">\n"));
    CHECK(text.ends_with("    </partition_index>\n  </storage_type>\n</root>\n"));
}

TEST(scatter_converts_between_text_and_xml) {
    Scatter s = v1("V1.1.8");
    s.general_extra = {{"modem_check", "false"}, {"modem", "NA"}};
    const Scatter xml = mtkfw::convert_scatter(s, ScatterFormat::xml);
    CHECK(xml.general_extra.empty());
    CHECK(!has(write_scatter(xml), "modem"));
    CHECK(mtkfw::convert_scatter(xml, ScatterFormat::txt) == s);
    // the rows and header are the same in both forms
    const Scatter back = parse_scatter(write_scatter(xml), "x.xml");
    CHECK(back.partitions == s.partitions);
    CHECK_EQ(mtkfw::list_scatter(back), mtkfw::list_scatter(s));
}

TEST(scatter_write_refuses_models_no_file_can_express) {
    Scatter s = v2();
    s.partitions[1].storage_type = "NAND";
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "partition SYS1 (sgpt): storage_type 'NAND' names no storage section");
    s = v2();
    std::swap(s.partitions[1], s.partitions[2]);
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "partition SYS1 (sgpt): comes after the rows of a later section");
    s = v2();
    s.storages[1].storage = "EMMC";
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "two storage_type sections named EMMC");
    s = v1("V1.1.2");
    s.partitions[0].storage_type = "EMMC";
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "which a V1.x file cannot express");
    s = v1("V3.0.0");
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "config_version V3.0.0: unknown scatter version");
    s = v1("V1.1.2");
    s.partitions[0].file_name = "two\nlines";
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "partition SYS0 (boot): file_name: 'two\\x0alines' has a line break");
    s = v1("V1.1.2");
    s.partitions[0].extra = {{"type", "EXT4_IMG"}};
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "unknown key 'type' is not a key");
    s = v1("V1.1.2");
    s.style.line_end = "\r";
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "only LF or CRLF");
    s = v1("V1.1.2");
    s.style.header_comments = {"build_prefix: x"};
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "a header comment: 'build_prefix: x' is not one comment line");
    s = v1("V1.1.2");
    s.partitions.clear();
    CHECK_THROWS(write_scatter(s), Exit::invalid_input, "no partitions");
}

TEST(scatter_lists_the_optional_keys) {
    Scatter s = v1("V1.1.2");
    s.partitions[0].is_upgradable = true;
    s.partitions[0].combo_partsize_check = false;
    const std::string list = mtkfw::list_scatter(s);
    CHECK(has(list, "\toperation_type\tis_upgradable\tempty_boot_needed\tcombo_partsize_check\n"));
    CHECK(has(list, "\tSYS0\tboot\tboot.img\ttrue\tNORMAL_ROM\t0x1000000\t0x1000000\t0x2000000\tEMMC_USER\tHW_STORAGE_EMMC"
                    "\ttrue\tfalse\tUPDATE\ttrue\t\tfalse\n"));
    CHECK(list.ends_with("\tUPDATE\t\t\t\n"));
}

TEST(scatter_tells_xml_by_content) {
    Scatter s = v1("V1.1.2");
    s.style.format = ScatterFormat::xml;
    const std::string xml = write_scatter(s);
    CHECK(parse_scatter("\xEF\xBB\xBF \n" + xml, "bom.xml") == s);
    const std::string root = xml.substr(xml.find("<root>"));
    CHECK(parse_scatter(root, "r.xml").partitions == s.partitions);
    CHECK(parse_scatter("\xEF\xBB\xBF" + kText, "bom.txt") == parse_scatter(kText, "s.txt"));
}

TEST(scatter_xml_reader_refuses_malformed_xml_with_the_line) {
    Scatter s = v1("V1.1.2");
    s.style.format = ScatterFormat::xml;
    const std::string xml = write_scatter(s);
    const auto edit = [&](const std::string& from, const std::string& to) {
        std::string t = xml;
        t.replace(t.find(from), from.size(), to);
        return t;
    };
    CHECK_THROWS(parse_scatter(edit("</file_name>", "</file>"), "x.xml"), Exit::invalid_input,
                 "x.xml: line 15: XML: </file> closes <file_name> of line 15");
    CHECK_THROWS(parse_scatter(edit("<type>NORMAL_ROM", "<type>A&B"), "x.xml"), Exit::invalid_input,
                 "x.xml: line 17: XML: '&' that starts no entity");
    CHECK_THROWS(parse_scatter(edit("</root>", ""), "x.xml"), Exit::invalid_input,
                 "x.xml: line 43: XML: the file ends inside <root> of line 3");
    CHECK_THROWS(parse_scatter(xml + "<root/>", "x.xml"), Exit::invalid_input, "XML: text after the </root> end tag");
    CHECK_THROWS(parse_scatter(edit("<root>", "<!DOCTYPE x>\n<root>"), "x.xml"), Exit::invalid_input,
                 "line 3: XML: a DOCTYPE");
    CHECK_THROWS(parse_scatter(edit("<partition_index name=\"SYS0\">", "<partition_index>"), "x.xml"), Exit::invalid_input,
                 "x.xml: line 13: XML: <partition_index> has no name attribute");
    CHECK_THROWS(parse_scatter(edit("<is_download>true", "<is_download>yes"), "x.xml"), Exit::invalid_input,
                 "x.xml: line 16: is_download: expected true or false, got 'yes'");
    CHECK_THROWS(parse_scatter(edit("    <reserve>0x00</reserve>\n", ""), "x.xml"), Exit::invalid_input,
                 "x.xml: partition SYS0 (boot, line 13) has no reserve");
    CHECK_THROWS(parse_scatter(edit("  <partition_index", "  <partitions/>\n  <partition_index"), "x.xml"),
                 Exit::invalid_input, "x.xml: line 13: XML: unexpected <partitions> in <root>");
    // entities and comments are read
    const auto ok = parse_scatter(edit("<type>NORMAL_ROM</type>", "<!-- c --><type>NORMAL&#x5f;ROM</type>"), "x.xml");
    CHECK_EQ(ok.partitions[0].type, std::string("NORMAL_ROM"));
}
