// Fuzzes the digest-record reader (common/format/digest_record.h) that fw-checksum --records
// trusts instead of reading an image.  Checked: a record it accepts is written back byte for
// byte (one spelling per record: nothing the reader lets through can mean two things).
#include "fuzz_support.h"
#include "format/digest_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::text_of(data, size);
    mtkfw::DigestRecord r;
    if (!fuzz::accepts([&] { r = mtkfw::parse_digest_record(text, "fuzz.digests"); })) return 0;
    const std::string back = mtkfw::write_digest_record(r);
    // The writer's form: LF line ends, lower-case hex; the reader accepts a last line without LF.
    FUZZ_CHECK(back == text || back == std::string(text) + "\n");
    const mtkfw::DigestRecord again = mtkfw::parse_digest_record(back, "written.digests");
    FUZZ_CHECK(again.bytes == r.bytes && again.byte_sum == r.byte_sum && again.md5 == r.md5);
    return 0;
}
