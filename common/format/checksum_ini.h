// Checksum.ini, the per-image checksums SP Flash Tool checks before flashing, as MediaTek's
// CheckSum_Gen writes it (sources: SP Flash Tool v5.1952 Rules/ChksumRule.cpp; real files in
// doc/FORMATS.md "Checksum.ini", with its stock samples):
//
//   [VERSION]             VERSION=V1 (V2 when [CheckSum_V2] follows), TOOL=<generator>,
//                         Change_ID=<unix seconds>
//   [IsEnableChecksum]    CHECKSUM_SWITCH=1
//   [CheckSum]            <partition_name>=0x%04X, one line per downloaded partition in scatter
//                         order (partitions sharing a file each get a line); the value is the
//                         byte sum of the file mod 65536.  The only section SP Flash Tool reads:
//                         a downloaded partition without a line is checked against 0 and fails.
//   [CheckSum_V2]         (CheckSum_Gen -md5) <partition_name>=MD5 as upper-case hex in four
//                         dash-separated groups of 8: 0123ABCD-...-...-...
//
// Lines end in CRLF (the Windows tool).  The parser also takes LF, blank lines, ';'/'#'
// comments, spaces around '=' and unknown sections (ignored); anything else is an error that
// names the line.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mtkfw {

struct ChecksumV1 {
    std::string name;  // partition_name of the scatter
    uint16_t sum = 0;  // byte sum mod 65536
    size_t line = 0;   // where the parser found it (0 when built in memory)
};

struct ChecksumV2 {
    std::string name;
    std::array<uint8_t, 16> md5{};
    size_t line = 0;
};

struct ChecksumIni {
    std::string version;               // "V1" or "V2"; the writer derives it from `v2`
    std::string tool;                  // TOOL=
    std::string change_id;             // Change_ID= (decimal unix seconds)
    std::string checksum_switch = "1"; // CHECKSUM_SWITCH=
    std::vector<ChecksumV1> v1;        // [CheckSum]
    std::vector<ChecksumV2> v2;        // [CheckSum_V2]; empty for a V1 file
};

// The file's text, byte for byte as CheckSum_Gen lays it out (CRLF line ends).  A name that
// cannot be a key (empty, '=', a line break, outer spaces, a leading ; # or [) is a Failure.
std::string write_checksum_ini(const ChecksumIni& ini);

// Throws Failure (invalid input) naming `source_name` and the line for a malformed line, a
// value that is not a V1/V2 checksum, a key given twice in a section, or a missing [CheckSum].
ChecksumIni parse_checksum_ini(std::string_view text, const std::string& source_name);

// Change_ID for a file written now: SOURCE_DATE_EPOCH when set (reproducible builds; a value
// that is not a decimal number of seconds is a usage error), else the current unix time.
std::string change_id_now();

// "0x00FF": the V1 value as written.
std::string format_v1(uint16_t sum);
// "0123ABCD-4567EF01-89ABCDEF-01234567": the V2 value as written.
std::string format_v2(const std::array<uint8_t, 16>& md5);

}  // namespace mtkfw
