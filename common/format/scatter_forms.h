// What the two scatter forms (scatter_text.cpp, scatter_xml.cpp) share, behind format/scatter.h:
// one builder that turns keys and values into the model with the same checks and messages in both
// forms, the key order of a row, the spelling of numbers, and the checks a model must pass before
// either writer writes it.  Not for use outside the scatter files.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "format/scatter.h"

namespace mtkfw::scatter_detail {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// Builds a Scatter from the keys a reader meets, in file order.  `at(line)` says where the next
// key is, for the messages ("SOURCE: line N: why").
class ScatterBuilder {
public:
    explicit ScatterBuilder(const std::string& source) : source_(source) {}

    void at(size_t line) { line_ = line; }
    size_t line() const { return line_; }
    [[noreturn]] void bad(const std::string& why) const;

    // A key of the MTK_PLATFORM_CFG block: config_version, platform, project; storage,
    // boot_channel, block_size (V1.x: the one storage); anything else goes to general_extra.
    void platform_key(const std::string& key, std::string_view value);
    // A V2.x `storage_type` section starts: the rows after it belong to `storage_type`.
    void section(std::string_view storage_type);
    // An MTK_STORAGE_CFG block starts, and its keys (storage, boot_channel, block_size; others
    // carry nothing we use and are dropped).
    void storage_block();
    void storage_key(const std::string& key, std::string_view value);
    // A row: begin, its keys (partition_index among them), end (checks that every required key
    // was there).  end_row() without a row open does nothing.
    void begin_row();
    void row_key(const std::string& key, std::string_view value);
    void end_row();
    bool in_row() const { return in_row_; }

    // The model, after the file-level checks (config_version, platform, at least one row).
    Scatter finish(ScatterStyle style);
    // "0xffff" when the first end-relative physical_start_addr was spelled so, else "0xFFFF".
    const std::string& physical_tail_prefix() const { return tail_prefix_; }

private:
    uint64_t number(std::string_view value, std::string_view key) const;
    bool boolean(std::string_view value, std::string_view key) const;

    const std::string& source_;
    size_t line_ = 0;
    Scatter s_;
    std::string storage_type_;
    bool in_row_ = false;
    ScatterPartition row_;
    std::map<std::string, size_t, std::less<>> seen_;  // key -> line, in the open row
    std::string tail_prefix_ = "0xFFFF";
    bool tail_seen_ = false;
};

// A row's keys and values in MediaTek's order (MODERN.md 1.1): the 13 fixed ones from
// partition_index, the optional three when present, unknown keys, reserve.
KeyValues row_fields(const ScatterPartition& row, const ScatterStyle& style);
// The general block's keys: config_version's value first, then platform, project, (V1.x) the
// storage's three, then general_extra.
KeyValues general_fields(const Scatter& scatter);
// Spellings: "0xFFFF%04x" for end-relative addresses (`prefix` replacing 0xFFFF), 0x%x otherwise.
std::string address(uint64_t v, std::string_view prefix = "0xFFFF");
const char* boolean_text(bool b);
// A key of letters, digits and '_': what the text form can hold before its ':' (and an XML name).
bool key_text(std::string_view key);
// "\r\n" when the text's first line ends so, else "\n" (a file's line end, MODERN.md 1.1).
std::string first_line_end(std::string_view text);

// True for a V2.x model (a storage_type section per storage); false for V1.x.  Throws when the
// model is neither, or cannot be written back the way parse_scatter would read it.
bool check_writable(const Scatter& scatter);
// The rows of storages[i] (V2.x) or all rows (V1.x, section = nullptr).
std::vector<const ScatterPartition*> rows_of(const Scatter& scatter, const ScatterStorage* section);

// The forms.  `text` has no BOM.
bool looks_like_xml(std::string_view text);
Scatter parse_text(std::string_view text, const std::string& source);
Scatter parse_xml(std::string_view text, const std::string& source);
std::string write_text(const Scatter& scatter, bool sections);
std::string write_xml(const Scatter& scatter, bool sections);

}  // namespace mtkfw::scatter_detail
