// A digest record: one image's digests, taken by `fw-checksum --record --copy` as it hands the
// bytes on to the program that reads them (readback2fw's proof: cmp, ext4-sparse --verify),
// used by `fw-checksum --records DIR` to write Checksum.ini without reading the image again.
// Text, LF:
//
//   line   example                    expected                      on a mismatch
//   1      # mtkfw-digests 1          this exact line (version 1)   refused: not a record
//   bytes  bytes=8388608              decimal (no leading 0), the   refused; fw-checksum --records
//                                     bytes digested                also refuses a record whose
//                                                                   bytes differ from the file's
//                                                                   size (other bytes digested)
//   sum    sum=0x1a2b                 0x + 4 lower-case hex digits: refused
//                                     the byte sum mod 65536 (V1)
//   md5    md5=<32 lower-case hex>    optional (--md5): the MD5     refused when malformed; its
//                                     (Checksum.ini V2)             absence, when MD5 is asked for
//
// Every key once, in this order, spelled as the writer spells it (one text per record); any
// other line is refused naming it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mtkfw {

struct DigestRecord {
    uint64_t bytes = 0;
    uint16_t byte_sum = 0;
    std::optional<std::array<uint8_t, 16>> md5;
};

std::string write_digest_record(const DigestRecord& record);

// Throws Failure (invalid input) naming `source_name` and the line.
DigestRecord parse_digest_record(std::string_view text, const std::string& source_name);

}  // namespace mtkfw
