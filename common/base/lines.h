// Line-by-line reading of a small text (Checksum.ini, checksum lists) for parsers whose errors
// name the line: "SOURCE: line 7: expected KEY=VALUE: 'the line'".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mtkfw {

class Lines {
public:
    Lines(std::string_view text, std::string source_name) : rest_(text), source_(std::move(source_name)) {}

    // The next line without its '\n' (and without a '\r' before it when `strip_cr`); false at
    // the end.  A last line without '\n' counts.
    bool next(std::string_view* line, bool strip_cr = true);
    size_t number() const { return number_; }
    // Throws Failure (invalid input) naming the source, the current line number and text.
    [[noreturn]] void fail(const std::string& why) const;

private:
    std::string_view rest_, current_;
    std::string source_;
    size_t number_ = 0;
};

}  // namespace mtkfw
