// format/digest_record.h: the one spelling of a record, written and read back, and every other
// text refused (fw-checksum --records trusts a record instead of reading the image).
#include <string>

#include "check.h"
#include "format/digest_record.h"

using mtkfw::DigestRecord;
using mtkfw::parse_digest_record;
using mtkfw::write_digest_record;

namespace {
const std::string kMd5Line = "md5=d41d8cd98f00b204e9800998ecf8427e\n";
const std::string kRecord = "# mtkfw-digests 1\nbytes=4096\nsum=0x0a0b\n";
}  // namespace

TEST(digest_record_round_trip_with_and_without_md5) {
    const DigestRecord r = parse_digest_record(kRecord, "r");
    CHECK_EQ(r.bytes, uint64_t{4096});
    CHECK_EQ(r.byte_sum, uint16_t{0x0a0b});
    CHECK(!r.md5);
    CHECK_EQ(write_digest_record(r), kRecord);
    const DigestRecord m = parse_digest_record(kRecord + kMd5Line, "r");
    CHECK(m.md5.has_value());
    CHECK_EQ(write_digest_record(m), kRecord + kMd5Line);
    CHECK_EQ(parse_digest_record("# mtkfw-digests 1\nbytes=18446744073709551615\nsum=0xffff", "r").bytes, UINT64_MAX);
}

TEST(digest_record_refuses_every_other_spelling) {
    for (const std::string& bad : {
             std::string(""), std::string("# mtkfw-digests 2\nbytes=1\nsum=0x0001\n"),
             std::string("# mtkfw-digests 1\r\nbytes=1\nsum=0x0001\n"),
             std::string("# mtkfw-digests 1\nbytes=01\nsum=0x0001\n"),          // leading zero
             std::string("# mtkfw-digests 1\nbytes=1\nsum=0x0A0B\n"),           // upper case
             std::string("# mtkfw-digests 1\nbytes=1\nsum=0xa0b\n"),            // 3 digits
             std::string("# mtkfw-digests 1\nbytes=1\nsum=0x10000\n"),          // past 16 bits
             std::string("# mtkfw-digests 1\nbytes=18446744073709551616\nsum=0x0001\n"),
             std::string("# mtkfw-digests 1\nsum=0x0001\nbytes=1\n"),           // order
             kRecord + "md5=D41D8CD98F00B204E9800998ECF8427E\n", kRecord + "md5=d41d\n",
             kRecord + kMd5Line + "md5=x\n", kRecord + "\n", kRecord + "xxh128=00\n"}) {
        CHECK_THROWS(parse_digest_record(bad, "r"), mtkfw::Exit::invalid_input, "r: line ");
    }
}
