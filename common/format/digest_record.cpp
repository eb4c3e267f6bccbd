#include "format/digest_record.h"

#include <cstdio>

#include "base/lines.h"
#include "base/number.h"
#include "base/text.h"

namespace mtkfw {
namespace {

constexpr std::string_view kHeader = "# mtkfw-digests 1";

std::string bytes_line(uint64_t bytes) { return "bytes=" + std::to_string(bytes); }

std::string sum_line(uint16_t sum) {
    char text[16];
    std::snprintf(text, sizeof text, "sum=0x%04x", sum);
    return text;
}

// The number in `line` when it is "KEY=" and `base` digits (0x first for base 16) at most `max`,
// spelled exactly as `spelled(number)` writes it (one spelling per record); else nullopt.
template <class Spell>
std::optional<uint64_t> field(std::string_view line, std::string_view key, unsigned base, uint64_t max, Spell spelled) {
    if (line.size() <= key.size() + 1 || line.substr(0, key.size()) != key || line[key.size()] != '=') return std::nullopt;
    std::string_view digits = line.substr(key.size() + 1);
    if (base == 16) {
        if (digits.substr(0, 2) != "0x") return std::nullopt;
        digits.remove_prefix(2);
    }
    const Digits d = parse_digits(digits, base);
    if (d.length == 0 || d.length != digits.size() || d.overflow || d.value > max) return std::nullopt;
    if (spelled(d.value) != line) return std::nullopt;
    return d.value;
}

}  // namespace

std::string write_digest_record(const DigestRecord& r) {
    std::string text = std::string(kHeader) + "\n" + bytes_line(r.bytes) + "\n" + sum_line(r.byte_sum) + "\n";
    if (r.md5) text += "md5=" + hex_bytes(*r.md5) + "\n";
    return text;
}

DigestRecord parse_digest_record(std::string_view text, const std::string& source_name) {
    Lines lines(text, source_name);
    std::string_view line;
    if (!lines.next(&line, false) || line != kHeader) lines.fail("not a digest record (no '" + std::string(kHeader) + "' line)");
    DigestRecord r;
    std::optional<uint64_t> n;
    if (!lines.next(&line, false) || !(n = field(line, "bytes", 10, UINT64_MAX, bytes_line))) {
        lines.fail("expected bytes=DECIMAL (no leading zeros)");
    }
    r.bytes = *n;
    if (!lines.next(&line, false) ||
        !(n = field(line, "sum", 16, 0xffff, [](uint64_t v) { return sum_line(static_cast<uint16_t>(v)); }))) {
        lines.fail("expected sum=0xhhhh (4 lower-case hex digits)");
    }
    r.byte_sum = static_cast<uint16_t>(*n);
    if (lines.next(&line, false)) {
        const std::string_view md5 = line.substr(0, 4) == "md5=" ? line.substr(4) : std::string_view();
        std::array<uint8_t, 16> digest{};
        if (!parse_hex_bytes(md5, digest) || hex_bytes(digest) != md5) lines.fail("expected md5=32 lower-case hex digits");
        r.md5 = digest;
        if (lines.next(&line, false)) lines.fail("nothing may follow md5=");
    }
    return r;
}

}  // namespace mtkfw
