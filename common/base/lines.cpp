#include "base/lines.h"

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw {

bool Lines::next(std::string_view* line, bool strip_cr) {
    if (rest_.empty()) return false;
    ++number_;
    const size_t eol = rest_.find('\n');
    current_ = rest_.substr(0, eol);
    rest_.remove_prefix(eol == std::string_view::npos ? rest_.size() : eol + 1);
    if (strip_cr && !current_.empty() && current_.back() == '\r') current_.remove_suffix(1);
    *line = current_;
    return true;
}

void Lines::fail(const std::string& why) const {
    fail_input(source_, "line " + std::to_string(number_) + ": " + why + ": '" + escape_controls(current_) + "'");
}

}  // namespace mtkfw
