// Checksum lists other tools verify: `md5sum -c` (GNU coreutils) and `xxhsum -c` (xxHash,
// XXH3-128), one line per file in the tools' own format:
//
//   md5sum:  <32 lower-case hex>  <name>      (two spaces; "<hex> *<name>" for binary mode is
//            read too).  A name holding '\', LF or CR is written escaped (\\, \n, \r) and the
//            line starts with '\', as coreutils 9 does.
//   xxh128:  <32 lower-case hex of the canonical (big-endian) XXH128>  <name>, as `xxhsum -H2`
//            writes it.  xxhsum 0.8.1 has no escaping: a name with LF or CR cannot be listed.
//
// Both parsers also read the BSD tagged form ("MD5 (name) = hex", "XXH128 (name) = hex").
// A line of any other shape is an error naming the line (md5sum only warns; a list we check
// should be exactly what we wrote).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mtkfw {

enum class ManifestFormat { md5sum, xxh128 };

// "md5sum" or "xxh128"; anything else is a usage error naming `option`.
ManifestFormat parse_manifest_format(std::string_view text, std::string_view option);
const char* manifest_format_name(ManifestFormat format);

struct ManifestEntry {
    std::string name;
    std::array<uint8_t, 16> digest{};
    size_t line = 0;
};

// One line, '\n' included.  Throws Failure (invalid input) for a name the format cannot carry.
std::string manifest_line(ManifestFormat format, const ManifestEntry& entry);

// The whole list, one manifest_line() per entry.
std::string write_manifest(ManifestFormat format, const std::vector<ManifestEntry>& entries);

// Blank lines are skipped; an empty list is an error.
std::vector<ManifestEntry> parse_manifest(ManifestFormat format, std::string_view text,
                                          const std::string& source_name);

}  // namespace mtkfw
