// The text form of a scatter file (format/scatter.h has the layout): a line reader that feeds
// ScatterBuilder and notes the file's style, and the writer that prints MediaTek's layout back.
#include "base/failure.h"
#include "base/lines.h"
#include "base/text.h"
#include "format/scatter_forms.h"

namespace mtkfw::scatter_detail {
namespace {

const std::string kRule(108, '#');

// A line as stored in the style: without the CRs before its '\n' (a CRLF file's, or stray ones).
std::string_view raw_line(std::string_view line) {
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

bool is_comment(std::string_view line) { return trim(line).starts_with('#'); }
bool is_rule(std::string_view line) { return trim(line) == kRule; }

class TextReader {
public:
    TextReader(std::string_view text, const std::string& source) : text_(text), lines_(text, source), b_(source) {}

    Scatter read() {
        style_.line_end = first_line_end(text_);
        bool last_blank = false;
        for (std::string_view line; lines_.next(&line);) {
            b_.at(lines_.number());
            last_blank = trim(line).empty();
            this->line(raw_line(line));
        }
        if (in_banner_) close_banner();
        style_.blank_after_last = last_blank;
        if (sections_) style_.layout_banner = ScatterStyle{}.layout_banner;
        style_.physical_tail_prefix = b_.physical_tail_prefix();
        return b_.finish(std::move(style_));
    }

private:
    // Where the reader is: before "- general: MTK_PLATFORM_CFG", in the header (general keys, its
    // comments, the layout banner), or in the body (sections, rows).
    enum class Phase { top, header, body };
    // Which block the keys belong to.
    enum class Block { platform, storage, row, other };

    void line(std::string_view raw) {
        const std::string_view text = trim(raw);
        if (in_banner_) {
            if (is_rule(raw)) return close_banner();
            if (is_comment(raw)) {
                banner_.emplace_back(raw);
                return;
            }
            close_banner();  // a banner without its closing rule ends at the first other line
        }
        if (is_rule(raw)) {
            in_banner_ = true;
            banner_.clear();
            return;
        }
        if (text.empty()) return;
        if (text.front() == '#') {
            if (phase_ == Phase::header) style_.header_comments.emplace_back(raw);
            return;  // elsewhere: a stray comment, dropped
        }
        key_value(text);
    }

    void close_banner() {
        in_banner_ = false;
        if (phase_ == Phase::top) {
            style_.general_banner = banner_;
        } else if (phase_ == Phase::header) {
            // "#", "#  TITLE", "#": a title is all the style keeps; any other shape reads as the usual one.
            const bool titled = banner_.size() == 3 && banner_[0] == "#" && banner_[2] == "#" && banner_[1].starts_with("#  ");
            style_.layout_banner = titled ? banner_[1].substr(3) : ScatterStyle{}.layout_banner;
        }
    }

    void key_value(std::string_view text) {
        if (text.starts_with("- ")) text = trim(text.substr(2));
        const size_t colon = text.find(':');
        if (colon == std::string_view::npos) b_.bad("expected 'key: value', got '" + std::string(text) + "'");
        const std::string key(trim(text.substr(0, colon)));
        if (!key_text(key)) {
            b_.bad("expected 'key: value' with a key of letters, digits and '_', got '" + std::string(text) + "'");
        }
        const std::string_view value = trim(text.substr(colon + 1));

        if (key == "info" || key == "description") return;
        if (key == "general") {
            b_.end_row();
            if (value == "MTK_PLATFORM_CFG") {
                block_ = Block::platform;
                if (phase_ == Phase::top) phase_ = Phase::header;
            } else if (value == "MTK_STORAGE_CFG") {
                block_ = Block::storage;
                phase_ = Phase::body;
                b_.storage_block();
            } else {
                block_ = Block::other;  // a general block of another kind carries nothing we use
            }
            return;
        }
        if (key == "storage_type") {
            phase_ = Phase::body;
            sections_ = true;
            block_ = Block::other;
            b_.section(value);
            return;
        }
        if (key == "partition_index") {
            phase_ = Phase::body;
            block_ = Block::row;
            b_.begin_row();
        }
        switch (block_) {
            case Block::platform: b_.platform_key(key, value); break;
            case Block::storage: b_.storage_key(key, value); break;
            case Block::row: b_.row_key(key, value); break;
            case Block::other: break;
        }
    }

    std::string_view text_;
    Lines lines_;
    ScatterBuilder b_;
    ScatterStyle style_;
    Phase phase_ = Phase::top;
    Block block_ = Block::platform;  // keys before any "- general:" line count as the header's
    bool sections_ = false;
    bool in_banner_ = false;
    std::vector<std::string> banner_;
};

// A style line the reader gives back as it is: one comment line, not a rule, no CR at its end.
void check_comment(const std::string& line, const std::string& what) {
    if (line.find('\n') != std::string::npos || raw_line(line) != line || !is_comment(line) || is_rule(line)) {
        fail_input(what, "'" + escape_controls(line) + "' is not one comment line");
    }
}

class TextWriter {
public:
    TextWriter(const Scatter& s, bool sections) : s_(s), nl_(s.style.line_end), sections_(sections) {
        for (const std::string& line : s.style.general_banner) check_comment(line, "the general banner");
        for (const std::string& line : s.style.header_comments) check_comment(line, "a header comment");
        check_comment("#  " + s.style.layout_banner, "the layout banner");
    }

    std::string write() {
        banner(s_.style.general_banner);
        out_ += "- general: MTK_PLATFORM_CFG" + nl_ + "  info: " + nl_;
        bool first = true;
        for (const auto& [key, value] : general_fields(s_)) {
            out_ += (first ? "    - " : "      ") + key + ": " + value + nl_;
            first = false;
        }
        for (const std::string& line : s_.style.header_comments) out_ += line + nl_;
        if (!sections_) {
            banner({"#", "#  " + s_.style.layout_banner, "#"});
            rows(rows_of(s_, nullptr), "");
            return std::move(out_);
        }
        for (const ScatterStorage& st : s_.storages) {
            banner({"#", "#  " + st.storage + " Layout Setting", "#"});
            out_ += "- storage_type: " + st.storage + nl_ + "  description: " + nl_;
            out_ += "  - general: MTK_STORAGE_CFG" + nl_ + "    info: " + nl_;
            out_ += "      - storage: " + st.storage + nl_;
            out_ += "        boot_channel: " + st.boot_channel + nl_;
            out_ += "        block_size: " + hex(st.block_size) + nl_;
            blank();
            rows(rows_of(s_, &st), "  ");
        }
        return std::move(out_);
    }

private:
    void banner(const std::vector<std::string>& lines) {
        out_ += kRule + nl_;
        for (const std::string& line : lines) out_ += line + nl_;
        out_ += kRule + nl_;
    }

    void rows(const std::vector<const ScatterPartition*>& rows, const std::string& indent) {
        for (const ScatterPartition* p : rows) {
            bool first = true;
            for (const auto& [key, value] : row_fields(*p, s_.style)) {
                out_ += indent + (first ? "- " : "  ") + key + ": " + value + nl_;
                first = false;
            }
            blank();
        }
    }

    // The blank line after each block (write_text drops the file's last one when the style says so).
    void blank() { out_ += nl_; }

    const Scatter& s_;
    const std::string& nl_;
    const bool sections_;
    std::string out_;
};

}  // namespace

Scatter parse_text(std::string_view text, const std::string& source) { return TextReader(text, source).read(); }

std::string write_text(const Scatter& scatter, bool sections) {
    std::string text = TextWriter(scatter, sections).write();
    // Every block ends with a blank line; the file's last one stays only when the style has it.
    if (!scatter.style.blank_after_last) text.resize(text.size() - scatter.style.line_end.size());
    return text;
}

}  // namespace mtkfw::scatter_detail
