// The XML form of a scatter file (format/scatter.h has the layout; MODERN.md 1.6): a strict
// reader of the XML subset the files use, its mapping onto ScatterBuilder, and the writer.
// The subset: a "<?xml ...?>" declaration, elements with attributes (name="v" or name='v') and
// text, comments, the five named entities and &#N; / &#xH; references.  A DOCTYPE, CDATA, other
// processing instructions, a bad name, an unclosed or mismatched tag, text outside <root>: a
// Failure naming the line.  No external XML library: the project's dependencies are fixed.
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "base/failure.h"
#include "base/text.h"
#include "format/scatter_forms.h"

namespace mtkfw::scatter_detail {
namespace {

struct Element {
    std::string name;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string text;  // the character data directly inside, entities decoded, pieces joined
    std::vector<Element> children;
    size_t line = 0;

    const std::string* attribute(std::string_view key) const {
        for (const auto& [k, v] : attributes) {
            if (k == key) return &v;
        }
        return nullptr;
    }
};

// Without XML white space (space, tab, CR, LF) at either end.
std::string_view xml_trim(std::string_view s) {
    const size_t first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

constexpr size_t kMaxDepth = 16;  // a scatter nests 6 deep; deeper input is refused, not recursed into

class XmlReader {
public:
    XmlReader(std::string_view text, const std::string& source) : t_(text), source_(source) {}

    Element read() {
        skip_space();
        if (t_.substr(pos_).starts_with("<?xml")) {
            const size_t end = t_.find("?>", pos_);
            if (end == std::string_view::npos) bad("the <?xml declaration has no '?>'");
            advance(end + 2 - pos_);
        }
        skip_misc();
        if (pos_ >= t_.size() || t_[pos_] != '<') bad("expected the <root> element");
        Element root = element(0);
        skip_misc();
        if (pos_ < t_.size()) bad("text after the </" + root.name + "> end tag");
        return root;
    }

private:
    [[noreturn]] void bad(const std::string& why) const {
        fail_input(source_ + ": line " + std::to_string(line_), "XML: " + why);
    }

    void advance(size_t n) {
        for (size_t i = 0; i < n; ++i) {
            if (t_[pos_ + i] == '\n') ++line_;
        }
        pos_ += n;
    }
    bool at(std::string_view s) const { return t_.substr(pos_).starts_with(s); }
    void skip_space() {
        while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\r' || t_[pos_] == '\n')) advance(1);
    }
    // Space and comments between elements.
    void skip_misc() {
        for (;;) {
            skip_space();
            if (!at("<!--")) return;
            comment();
        }
    }
    void comment() {
        const size_t end = t_.find("-->", pos_ + 4);
        if (end == std::string_view::npos) bad("a comment without its '-->'");
        advance(end + 3 - pos_);
    }

    std::string name() {
        const size_t start = pos_;
        while (pos_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[pos_])) || t_[pos_] == '_')) ++pos_;
        if (pos_ == start) bad("expected a name of letters, digits and '_'");
        return std::string(t_.substr(start, pos_ - start));
    }

    // Character data up to `stop` ('<' for text, the quote for an attribute), entities decoded.
    std::string chars(char stop) {
        std::string out;
        while (pos_ < t_.size() && t_[pos_] != stop) {
            const char c = t_[pos_];
            if (c == '&') {
                out += entity();
            } else if (c == '<') {
                bad("'<' inside an attribute value");
            } else {
                out += c;
                advance(1);
            }
        }
        if (pos_ >= t_.size() && stop != '<') bad("an attribute value without its closing quote");
        return out;
    }

    std::string entity() {
        const size_t end = t_.find(';', pos_);
        if (end == std::string_view::npos || end - pos_ > 10) bad("'&' that starts no entity (write &amp;)");
        const std::string_view e = t_.substr(pos_ + 1, end - pos_ - 1);
        std::string out;
        if (e == "lt") out = "<";
        else if (e == "gt") out = ">";
        else if (e == "amp") out = "&";
        else if (e == "quot") out = "\"";
        else if (e == "apos") out = "'";
        else if (e.starts_with('#')) out = utf8(code_point(e.substr(1)));
        else bad("unknown entity &" + std::string(e) + ";");
        advance(end + 1 - pos_);
        return out;
    }

    uint32_t code_point(std::string_view digits) const {
        const bool hexa = digits.starts_with('x');
        if (hexa) digits.remove_prefix(1);
        uint32_t v = 0;
        if (digits.empty()) bad("an empty character reference");
        for (char c : digits) {
            const int d = c >= '0' && c <= '9' ? c - '0' : hexa && c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : hexa && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) bad("a character reference with a bad digit");
            v = v * (hexa ? 16 : 10) + static_cast<uint32_t>(d);
            if (v > 0x10FFFF) bad("a character reference beyond U+10FFFF");
        }
        if (v == 0 || (v >= 0xD800 && v <= 0xDFFF)) bad("a character reference to NUL or a surrogate");
        return v;
    }

    static std::string utf8(uint32_t v) {
        std::string s;
        if (v < 0x80) {
            s += static_cast<char>(v);
        } else if (v < 0x800) {
            s += static_cast<char>(0xC0 | (v >> 6));
            s += static_cast<char>(0x80 | (v & 0x3F));
        } else if (v < 0x10000) {
            s += static_cast<char>(0xE0 | (v >> 12));
            s += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (v & 0x3F));
        } else {
            s += static_cast<char>(0xF0 | (v >> 18));
            s += static_cast<char>(0x80 | ((v >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (v & 0x3F));
        }
        return s;
    }

    // At '<' of a start tag: the element, through its end tag.
    Element element(size_t depth) {
        if (depth > kMaxDepth) bad("elements nested deeper than a scatter file's");
        if (at("<!") || at("<?")) bad("a DOCTYPE, CDATA section or processing instruction (not in scatter files)");
        advance(1);
        Element e;
        e.line = line_;
        e.name = name();
        for (;;) {
            const size_t before = pos_;
            skip_space();
            if (at("/>")) {
                advance(2);
                return e;
            }
            if (at(">")) {
                advance(1);
                break;
            }
            if (pos_ == before) bad("expected an attribute, '>' or '/>' in <" + e.name + ">");
            std::string key = name();
            if (e.attribute(key)) bad("attribute " + key + " twice in <" + e.name + ">");
            skip_space();
            if (!at("=")) bad("expected '=' after attribute " + key);
            advance(1);
            skip_space();
            if (!at("\"") && !at("'")) bad("expected a quoted value for attribute " + key);
            const char quote = t_[pos_];
            advance(1);
            std::string value = chars(quote);
            advance(1);
            e.attributes.emplace_back(std::move(key), std::move(value));
        }
        for (;;) {
            e.text += chars('<');
            if (pos_ >= t_.size()) {
                if (t_.ends_with('\n')) --line_;  // the last line, not the empty one after it
                bad("the file ends inside <" + e.name + "> of line " + std::to_string(e.line));
            }
            if (at("<!--")) {
                comment();
            } else if (at("</")) {
                advance(2);
                const size_t line = line_;
                const std::string end = name();
                skip_space();
                if (!at(">")) bad("expected '>' after </" + end);
                if (end != e.name) {
                    line_ = line;
                    bad("</" + end + "> closes <" + e.name + "> of line " + std::to_string(e.line));
                }
                advance(1);
                return e;
            } else {
                e.children.push_back(element(depth + 1));
            }
        }
    }

    std::string_view t_;
    const std::string& source_;
    size_t pos_ = 0;
    size_t line_ = 1;
};

// The XML tree onto the builder: the same keys, checks and messages as the text form.
class XmlMapper {
public:
    explicit XmlMapper(const std::string& source) : b_(source) {}

    Scatter map(const Element& root, const std::string& line_end) {
        b_.at(root.line);
        if (root.name != "root") b_.bad("XML: the top element is <" + root.name + ">, a scatter's is <root>");
        no_text(root);
        for (const Element& e : root.children) {
            if (e.name == "general") general(e);
            else if (e.name == "partition_index") row(e);
            else if (e.name == "storage_type") section(e);
            else unexpected(e, root);
        }
        ScatterStyle style;
        style.format = ScatterFormat::xml;
        style.line_end = line_end;
        style.physical_tail_prefix = b_.physical_tail_prefix();
        return b_.finish(std::move(style));
    }

private:
    [[noreturn]] void unexpected(const Element& e, const Element& parent) {
        b_.at(e.line);
        b_.bad("XML: unexpected <" + e.name + "> in <" + parent.name + ">");
    }
    void no_text(const Element& e) {
        if (!xml_trim(e.text).empty()) {
            b_.at(e.line);
            b_.bad("XML: text in <" + e.name + ">, which holds elements only");
        }
    }
    const std::string& name_of(const Element& e) {
        b_.at(e.line);
        const std::string* name = e.attribute("name");
        if (!name) b_.bad("XML: <" + e.name + "> has no name attribute");
        return *name;
    }
    // A key element: text only, no attributes or children.
    std::string leaf(const Element& e) {
        b_.at(e.line);
        if (!e.children.empty() || !e.attributes.empty()) b_.bad("XML: <" + e.name + "> holds more than a value");
        return std::string(xml_trim(e.text));
    }

    void general(const Element& e) {
        const std::string& kind = name_of(e);
        no_text(e);
        if (kind != "MTK_PLATFORM_CFG") return;  // a general block of another kind carries nothing we use
        for (const Element& version : e.children) {
            if (version.name != "config_version") unexpected(version, e);
            b_.platform_key("config_version", name_of(version));
            no_text(version);
            for (const Element& key : version.children) b_.platform_key(key.name, leaf(key));
        }
    }

    void section(const Element& e) {
        b_.section(name_of(e));
        no_text(e);
        for (const Element& c : e.children) {
            if (c.name == "partition_index") {
                row(c);
            } else if (c.name == "general" && name_of(c) == "MTK_STORAGE_CFG") {
                no_text(c);
                for (const Element& storage : c.children) {
                    if (storage.name != "storage") unexpected(storage, c);
                    b_.storage_block();
                    b_.storage_key("storage", name_of(storage));
                    no_text(storage);
                    for (const Element& key : storage.children) b_.storage_key(key.name, leaf(key));
                }
            } else {
                unexpected(c, e);
            }
        }
    }

    void row(const Element& e) {
        b_.begin_row();
        b_.row_key("partition_index", name_of(e));
        no_text(e);
        for (const Element& key : e.children) b_.row_key(key.name, leaf(key));
        b_.end_row();
    }

    ScatterBuilder b_;
};

std::string escaped(std::string_view s, bool attribute) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"' && attribute) out += "&quot;";
        else out += c;
    }
    return out;
}

class XmlWriter {
public:
    XmlWriter(const Scatter& s, bool sections) : s_(s), nl_(s.style.line_end), sections_(sections) {}

    std::string write() {
        out_ += "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + nl_ + nl_ + "<root>" + nl_;
        open(1, "general", "MTK_PLATFORM_CFG");
        const KeyValues general = general_fields(s_);
        open(2, "config_version", general.front().second);
        for (size_t i = 1; i < general.size(); ++i) leaf(3, general[i].first, general[i].second);
        close(2, "config_version");
        close(1, "general");
        if (!sections_) {
            for (const ScatterPartition* p : rows_of(s_, nullptr)) row(1, *p);
        } else {
            for (const ScatterStorage& st : s_.storages) {
                open(1, "storage_type", st.storage);
                open(2, "general", "MTK_STORAGE_CFG");
                open(3, "storage", st.storage);
                leaf(4, "boot_channel", st.boot_channel);
                leaf(4, "block_size", hex(st.block_size));
                close(3, "storage");
                close(2, "general");
                for (const ScatterPartition* p : rows_of(s_, &st)) row(2, *p);
                close(1, "storage_type");
            }
        }
        out_ += "</root>" + nl_;
        return std::move(out_);
    }

private:
    void indent(int level) { out_.append(2 * static_cast<size_t>(level), ' '); }
    void open(int level, std::string_view tag, std::string_view name) {
        indent(level);
        out_ += "<" + std::string(tag) + " name=\"" + escaped(name, true) + "\">" + nl_;
    }
    void close(int level, std::string_view tag) {
        indent(level);
        out_ += "</" + std::string(tag) + ">" + nl_;
    }
    void leaf(int level, const std::string& key, std::string_view value) {
        indent(level);
        out_ += "<" + key + ">" + escaped(value, false) + "</" + key + ">" + nl_;
    }
    void row(int level, const ScatterPartition& p) {
        const KeyValues fields = row_fields(p, s_.style);
        open(level, "partition_index", fields.front().second);
        for (size_t i = 1; i < fields.size(); ++i) leaf(level + 1, fields[i].first, fields[i].second);
        close(level, "partition_index");
    }

    const Scatter& s_;
    const std::string& nl_;
    const bool sections_;
    std::string out_;
};

}  // namespace

bool looks_like_xml(std::string_view text) {
    text = xml_trim(text);
    return text.starts_with("<?xml") || text.starts_with("<root>") || text.starts_with("<root ");
}

Scatter parse_xml(std::string_view text, const std::string& source) {
    const Element root = XmlReader(text, source).read();
    return XmlMapper(source).map(root, first_line_end(text));
}

std::string write_xml(const Scatter& scatter, bool sections) { return XmlWriter(scatter, sections).write(); }

}  // namespace mtkfw::scatter_detail
