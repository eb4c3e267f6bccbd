#include "format/content.h"

namespace mtkfw {
namespace {

// A FAT label is padded with spaces to its 11 bytes.
std::string without_trailing_spaces(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

bool matches(Bytes head, const ContentMagic& m) {
    if (!has_magic(head, m.offset, m.magic)) return false;
    if (!m.also_magic.empty() && !has_magic(head, m.also_offset, m.also_magic)) return false;
    return m.label_rule != LabelRule::whole_ascii || head.size() >= m.label_offset + m.label_width;
}

}  // namespace

Content content_by_magic(Bytes head) {
    for (const ContentMagic& m : kContentMagics) {
        if (!matches(head, m)) continue;
        std::string label = ascii_field(head, m.label_offset, m.label_width);
        if (m.label_rule == LabelRule::space_padded) label = without_trailing_spaces(std::move(label));
        return {std::string(m.kind), label};
    }
    if (!head.empty() && all_equal(head, 0)) return {"zero", ""};
    return {"unknown", ""};
}

}  // namespace mtkfw
