// parse_manifest and manifest_line (manifest.h): md5sum and xxhsum lists built here.
#include <string>

#include "check.h"
#include "format/manifest.h"

using mtkfw::Exit;
using mtkfw::ManifestFormat;
using mtkfw::parse_manifest;

namespace {
const std::string kHex = "0123456789abcdef0123456789abcdef";
}

TEST(manifest_reads_text_binary_and_tagged_lines) {
    const auto e = parse_manifest(ManifestFormat::md5sum,
                                  kHex + "  boot.img\n" + kHex + " *lk.bin\n\nMD5 (a b.img) = " + kHex + "\n", "SUMS");
    CHECK_EQ(e.size(), 3u);
    CHECK_EQ(e[1].name, std::string("lk.bin"));
    CHECK_EQ(e[2].name, std::string("a b.img"));
    CHECK_EQ(e[2].line, 4u);
    CHECK_EQ(e[0].digest[0], 0x01);
    CHECK_EQ(parse_manifest(ManifestFormat::xxh128, "XXH128 (x) = " + kHex + "\n", "X")[0].name, std::string("x"));
}

TEST(manifest_md5sum_escapes_backslash_and_line_breaks) {
    mtkfw::ManifestEntry entry;
    entry.name = "a\\b\nc";
    const std::string line = mtkfw::manifest_line(ManifestFormat::md5sum, entry);
    CHECK_EQ(line, "\\" + std::string(32, '0') + "  a\\\\b\\nc\n");
    CHECK_EQ(parse_manifest(ManifestFormat::md5sum, line, "SUMS")[0].name, entry.name);
}

TEST(manifest_md5sum_takes_crlf_xxh128_keeps_the_cr) {
    CHECK_EQ(parse_manifest(ManifestFormat::md5sum, kHex + "  a\r\n", "S")[0].name, std::string("a"));
    CHECK_EQ(parse_manifest(ManifestFormat::xxh128, kHex + "  a\r\n", "S")[0].name, std::string("a\r"));
}

TEST(manifest_rejects_a_line_of_another_shape) {
    CHECK_THROWS(parse_manifest(ManifestFormat::md5sum, kHex + " boot.img\n", "SUMS"), Exit::invalid_input,
                 "SUMS: line 1: expected 32 hex digits, two spaces and a file name");
}

TEST(manifest_rejects_a_malformed_tag) {
    CHECK_THROWS(parse_manifest(ManifestFormat::md5sum, "MD5 (boot.img " + kHex + "\n", "SUMS"), Exit::invalid_input,
                 "line 1: malformed tagged line");
}

TEST(manifest_rejects_a_digest_that_is_not_hex) {
    CHECK_THROWS(parse_manifest(ManifestFormat::md5sum, std::string(32, 'g') + "  a\n", "SUMS"), Exit::invalid_input,
                 "line 1: not a MD5 digest");
    CHECK_THROWS(parse_manifest(ManifestFormat::xxh128, "XXH128 (a) = 12\n", "X"), Exit::invalid_input,
                 "line 1: not a XXH128 digest");
}

TEST(manifest_rejects_no_file_name) {
    CHECK_THROWS(parse_manifest(ManifestFormat::md5sum, "MD5 () = " + kHex + "\n", "SUMS"), Exit::invalid_input,
                 "line 1: no file name");
}

TEST(manifest_rejects_a_bad_escape) {
    CHECK_THROWS(parse_manifest(ManifestFormat::md5sum, "\\" + kHex + "  a\\qb\n", "SUMS"), Exit::invalid_input,
                 "line 1: bad escape in the file name");
}

TEST(manifest_rejects_an_empty_list) {
    CHECK_THROWS(parse_manifest(ManifestFormat::md5sum, "\n\n", "SUMS"), Exit::invalid_input, "SUMS: no checksum lines");
}

TEST(manifest_xxh128_cannot_carry_a_line_break) {
    mtkfw::ManifestEntry entry;
    entry.name = "a\nb";
    CHECK_THROWS(mtkfw::manifest_line(ManifestFormat::xxh128, entry), Exit::invalid_input,
                 "xxhsum lists cannot carry a file name with a line break");
}

TEST(manifest_format_names) {
    CHECK(mtkfw::parse_manifest_format("xxh128", "--format") == ManifestFormat::xxh128);
    CHECK_THROWS(mtkfw::parse_manifest_format("sha1", "--format"), Exit::usage,
                 "--format: 'sha1' is not a list format (md5sum or xxh128)");
}
