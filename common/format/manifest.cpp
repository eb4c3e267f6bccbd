#include "format/manifest.h"

#include "base/failure.h"
#include "base/lines.h"
#include "base/text.h"

namespace mtkfw {
namespace {

const char* tag(ManifestFormat format) { return format == ManifestFormat::md5sum ? "MD5" : "XXH128"; }

std::string escape_name(std::string_view name) {
    std::string s;
    for (char c : name) {
        if (c == '\\') s += "\\\\";
        else if (c == '\n') s += "\\n";
        else if (c == '\r') s += "\\r";
        else s += c;
    }
    return s;
}

// Undoes escape_name(); false on an unknown escape.
bool unescape_name(std::string_view in, std::string* out) {
    out->clear();
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '\\') {
            *out += in[i];
            continue;
        }
        if (++i == in.size()) return false;
        if (in[i] == '\\') *out += '\\';
        else if (in[i] == 'n') *out += '\n';
        else if (in[i] == 'r') *out += '\r';
        else return false;
    }
    return true;
}

}  // namespace

ManifestFormat parse_manifest_format(std::string_view text, std::string_view option) {
    if (text == "md5sum") return ManifestFormat::md5sum;
    if (text == "xxh128") return ManifestFormat::xxh128;
    fail_usage(std::string(option), "'" + std::string(text) + "' is not a list format (md5sum or xxh128)");
}

const char* manifest_format_name(ManifestFormat format) {
    return format == ManifestFormat::md5sum ? "md5sum" : "xxh128";
}

std::string manifest_line(ManifestFormat format, const ManifestEntry& entry) {
    const std::string hex = hex_bytes(entry.digest);
    const bool special = entry.name.find_first_of("\\\n\r") != std::string::npos;
    if (format == ManifestFormat::md5sum && special) return "\\" + hex + "  " + escape_name(entry.name) + "\n";
    if (entry.name.find_first_of("\n\r") != std::string::npos) {
        fail_input(escape_controls(entry.name), "xxhsum lists cannot carry a file name with a line break");
    }
    return hex + "  " + entry.name + "\n";
}

std::string write_manifest(ManifestFormat format, const std::vector<ManifestEntry>& entries) {
    std::string text;
    for (const ManifestEntry& e : entries) text += manifest_line(format, e);
    return text;
}

std::vector<ManifestEntry> parse_manifest(ManifestFormat format, std::string_view text,
                                          const std::string& source_name) {
    std::vector<ManifestEntry> entries;
    Lines lines(text, source_name);
    std::string_view l;
    // xxhsum keeps a CR as part of the name; md5sum lists may come from Windows.
    while (lines.next(&l, format == ManifestFormat::md5sum)) {
        if (l.empty()) continue;
        ManifestEntry e;
        e.line = lines.number();
        const bool escaped = format == ManifestFormat::md5sum && l.front() == '\\';
        if (escaped) l.remove_prefix(1);
        std::string_view name, hex;
        const std::string open = std::string(tag(format)) + " (";
        if (l.substr(0, open.size()) == open) {  // BSD tag: "MD5 (name) = hex"
            const size_t close = l.rfind(") = ");
            if (close == std::string_view::npos || close < open.size()) lines.fail("malformed tagged line");
            name = l.substr(open.size(), close - open.size());
            hex = l.substr(close + 4);
        } else {  // "hex  name" or "hex *name"
            if (l.size() < 35 || l[32] != ' ' || (l[33] != ' ' && l[33] != '*')) {
                lines.fail(std::string("expected ") + "32 hex digits, two spaces and a file name");
            }
            hex = l.substr(0, 32);
            name = l.substr(34);
        }
        if (!parse_hex_bytes(hex, e.digest)) lines.fail(std::string("not a ") + tag(format) + " digest");
        if (name.empty()) lines.fail("no file name");
        if (escaped) {
            if (!unescape_name(name, &e.name)) lines.fail("bad escape in the file name");
        } else {
            e.name = name;
        }
        entries.push_back(std::move(e));
    }
    if (entries.empty()) fail_input(source_name, "no checksum lines");
    return entries;
}

}  // namespace mtkfw
