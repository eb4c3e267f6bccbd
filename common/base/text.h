// Text helpers for output other programs read: UTF-16LE names, escaping, JSON strings, hex,
// sizes for people.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace mtkfw {

// A UTF-16LE field (GPT partition names: 36 code units) up to its first NUL, as UTF-8.
// Unpaired surrogates become U+FFFD.
std::string utf16le_to_utf8(Bytes field);

// Control characters (and backslash) as \xNN, so a name always fits on one line of a table.
std::string escape_controls(std::string_view s);

// A JSON string literal, quotes included (RFC 8259 escaping).
std::string json_string(std::string_view s);

// "0x1a2b" (lower case, no padding): the scatter file's number style.
std::string hex(uint64_t v);

// Bytes as hex digits, two per byte ("d41d8cd9..."): digests, signatures.
std::string hex_bytes(Bytes b, bool upper_case = false);
// The reverse: exactly 2 * out.size() hex digits of either case; false otherwise.
bool parse_hex_bytes(std::string_view text, std::span<uint8_t> out);

// Without leading spaces and tabs, and trailing spaces, tabs and a CR (a CRLF file's line).
std::string_view trim(std::string_view s);

// "1.5 GiB", "512 KiB", "17 B": for messages and reports.
std::string human_bytes(uint64_t bytes);

// ASCII case: scatter names and storage types are compared and spelled either way (USRDATA,
// usrdata; EMMC, emmc); bytes outside A-Z / a-z are kept.
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool equal_ignoring_case(std::string_view a, std::string_view b);

// The components of a slash-separated path, empty ones dropped: "/etc//fstab.x" -> {"etc", "fstab.x"}
// (views into `path`).  File-system readers walk them from the root.
std::vector<std::string_view> path_components(std::string_view path);

}  // namespace mtkfw
