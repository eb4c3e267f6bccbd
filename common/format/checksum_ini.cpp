#include "format/checksum_ini.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

#include "base/failure.h"
#include "base/lines.h"
#include "base/number.h"
#include "base/text.h"

namespace mtkfw {
namespace {

constexpr const char* kEol = "\r\n";

// "0x1A2B" (case-insensitive, 1 to 4 digits).
bool parse_v1(std::string_view v, uint16_t* sum) {
    if (v.size() < 3 || v.size() > 6 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X')) return false;
    const Digits digits = parse_digits(v.substr(2), 16);
    if (digits.length != v.size() - 2) return false;
    *sum = static_cast<uint16_t>(digits.value);
    return true;
}

// Four dash-separated groups of 8 hex digits.
bool parse_v2(std::string_view v, std::array<uint8_t, 16>* md5) {
    if (v.size() != 35 || v[8] != '-' || v[17] != '-' || v[26] != '-') return false;
    std::string digits;
    for (size_t g = 0; g < 4; ++g) digits += v.substr(g * 9, 8);
    return parse_hex_bytes(digits, *md5);
}

}  // namespace

std::string change_id_now() {
    const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
    if (!epoch) return std::to_string(static_cast<long long>(std::time(nullptr)));
    const std::string text = epoch;
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
        fail_usage("SOURCE_DATE_EPOCH", "'" + text + "' is not a number of seconds");
    }
    return text;
}

std::string format_v1(uint16_t sum) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04X", sum);
    return buf;
}

std::string format_v2(const std::array<uint8_t, 16>& md5) {
    const std::string hex = hex_bytes(md5, true);
    std::string out;
    for (size_t g = 0; g < 4; ++g) out += (g ? "-" : "") + hex.substr(g * 8, 8);
    return out;
}

std::string write_checksum_ini(const ChecksumIni& ini) {
    std::string s;
    auto line = [&s](const std::string& text) { s += text + kEol; };
    auto key = [](const std::string& name) -> const std::string& {
        if (name.empty() || name != trim(name) || name.find_first_of("=\r\n") != std::string::npos ||
            std::string_view(";#[").find(name.front()) != std::string_view::npos) {
            fail_input("'" + escape_controls(name) + "'", "cannot be a Checksum.ini key (partition name)");
        }
        return name;
    };
    line("[VERSION]");
    line(std::string("VERSION=") + (ini.v2.empty() ? "V1" : "V2"));
    line("TOOL=" + ini.tool);
    line("Change_ID=" + ini.change_id);
    line("[IsEnableChecksum]");
    line("CHECKSUM_SWITCH=" + ini.checksum_switch);
    line("[CheckSum]");
    for (const ChecksumV1& e : ini.v1) line(key(e.name) + "=" + format_v1(e.sum));
    if (!ini.v2.empty()) {
        line("[CheckSum_V2]");
        for (const ChecksumV2& e : ini.v2) line(key(e.name) + "=" + format_v2(e.md5));
    }
    return s;
}

ChecksumIni parse_checksum_ini(std::string_view text, const std::string& source_name) {
    ChecksumIni ini;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // Notepad's UTF-8 mark
    std::string section;
    bool have_section = false, have_checksum = false;
    std::set<std::pair<std::string, std::string>> seen;
    Lines lines(text, source_name);
    std::string_view raw;
    while (lines.next(&raw)) {
        const std::string_view l = trim(raw);
        if (l.empty() || l.front() == ';' || l.front() == '#') continue;
        if (l.front() == '[') {
            if (l.back() != ']' || l.size() < 3) lines.fail("malformed section header");
            section = std::string(l.substr(1, l.size() - 2));
            have_section = true;
            have_checksum |= section == "CheckSum";
            continue;
        }
        const size_t eq = l.find('=');
        if (eq == std::string_view::npos) lines.fail("expected KEY=VALUE");
        const std::string key(trim(l.substr(0, eq)));
        const std::string_view value = trim(l.substr(eq + 1));
        if (key.empty()) lines.fail("empty key");
        if (!have_section) lines.fail("KEY=VALUE before any [section]");
        if (!seen.emplace(section, key).second) lines.fail("'" + key + "' given twice in [" + section + "]");

        if (section == "VERSION") {
            if (key == "VERSION") ini.version = value;
            else if (key == "TOOL") ini.tool = value;
            else if (key == "Change_ID") ini.change_id = value;
        } else if (section == "IsEnableChecksum") {
            if (key == "CHECKSUM_SWITCH") ini.checksum_switch = value;
        } else if (section == "CheckSum") {
            ChecksumV1 e{key, 0, lines.number()};
            if (!parse_v1(value, &e.sum)) lines.fail("not a V1 checksum (0x followed by up to 4 hex digits)");
            ini.v1.push_back(e);
        } else if (section == "CheckSum_V2") {
            ChecksumV2 e{key, {}, lines.number()};
            if (!parse_v2(value, &e.md5)) lines.fail("not a V2 checksum (MD5 as 4 dash-separated groups of 8 hex digits)");
            ini.v2.push_back(e);
        }
    }
    if (!have_checksum) fail_input(source_name, "no [CheckSum] section: not a Checksum.ini");
    return ini;
}

}  // namespace mtkfw
