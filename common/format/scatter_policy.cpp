#include "format/scatter_policy.h"

#include <algorithm>
#include <cctype>

#include "base/failure.h"
#include "base/lines.h"
#include "format/scatter_generation.h"

namespace mtkfw {
namespace {

constexpr const char* kExt4 = "EXT4_IMG";
constexpr const char* kRaw = "NORMAL_ROM";

bool valid_operation(std::string_view op) {
    return op == "UPDATE" || op == "NEEDRESIZE" || op == "PROTECTED" || op == "BINREGION" || op == "INVISIBLE" ||
           op == "RESERVED";
}
bool downloaded_operation(std::string_view op) { return op == "UPDATE" || op == "NEEDRESIZE"; }

// The words of a rule line: what is left of it before '#', split at white space.
std::vector<std::string> words_of(std::string_view line) {
    line = line.substr(0, line.find('#'));
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    std::vector<std::string> words;
    for (size_t at = line.find_first_not_of(kSpace); at != std::string_view::npos;
         at = line.find_first_not_of(kSpace, at)) {
        const size_t end = std::min(line.find_first_of(kSpace, at), line.size());
        words.emplace_back(line.substr(at, end - at));
        at = end;
    }
    return words;
}

// true|false|- for the boolean columns.
std::optional<bool> flag(const std::string& word, const char* column, const std::string& where) {
    if (word == "-") return std::nullopt;
    if (word == "true") return true;
    if (word == "false") return false;
    fail_input(where, std::string(column) + ": expected true, false or -, got '" + word + "'");
}

// NAME OPERATION [FILE [TYPE [UPGRADABLE [EMPTY_BOOT [COMBO [DOWNLOAD]]]]]], checked; `where`
// names the line for errors.
PolicyRule parse_rule(const std::vector<std::string>& words, const std::string& where) {
    if (words.size() < 2 || words.size() > 8) {
        fail_input(where, "expected 'NAME OPERATION [FILE [TYPE [UPGRADABLE [EMPTY_BOOT [COMBO [DOWNLOAD]]]]]]'");
    }
    if (!valid_operation(words[1])) {
        fail_input(where, "unknown operation '" + words[1] +
                              "' (UPDATE, NEEDRESIZE, PROTECTED, BINREGION, INVISIBLE, RESERVED)");
    }
    PolicyRule rule{words[1], "", "", {}, {}, {}, {}};
    if (words.size() > 2 && words[2] != "-") {
        if (words[2] == "NONE") {
            fail_input(where, "file name NONE is what a partition that is not downloaded gets (DOWNLOAD false says that)");
        }
        rule.file_name = words[2];
    }
    if (words.size() > 3 && words[3] != "auto" && words[3] != "-") {
        if (words[3] != kRaw && words[3] != kExt4) {
            fail_input(where, "unknown type '" + words[3] + "' (NORMAL_ROM, EXT4_IMG or auto)");
        }
        rule.type = words[3];
    }
    if (words.size() > 4) rule.upgradable = flag(words[4], "UPGRADABLE", where);
    if (words.size() > 5) rule.empty_boot = flag(words[5], "EMPTY_BOOT", where);
    if (words.size() > 6) rule.combo = flag(words[6], "COMBO", where);
    if (words.size() > 7) rule.download = flag(words[7], "DOWNLOAD", where);
    return rule;
}

// "cam_vpu12" -> "cam_vpu*"; empty when the name does not end in digits after a stem.
std::string stem_pattern(const std::string& name) {
    size_t end = name.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(name[end - 1]))) --end;
    if (end == name.size() || end == 0) return {};
    return name.substr(0, end) + "*";
}

// The file's extension (".bin"), ".img" when it has none.
std::string extension_of(const std::string& file) {
    const size_t dot = file.rfind('.');
    return dot == std::string::npos ? ".img" : file.substr(dot);
}

// A stock file name says something about a partition's own file when it is named after it
// (lk.bin for lk or lk2, tee.img for tee1, logo.bin for logo_a); MT6752's trustzone.bin for
// tee1/tee2 does not: those stay NAME.img, as scatter-gen always wrote.
std::string own_file(const std::string& name, const std::string& stock_file) {
    if (stock_file.empty()) return name + ".img";
    const std::string stem = stock_file.substr(0, stock_file.rfind('.'));
    return name.starts_with(stem) ? name + extension_of(stock_file) : name + ".img";
}

}  // namespace

// A name's rule as found: its own, or its base's for an A/B slot or a numbered stem.
struct ScatterPolicy::Found {
    const PolicyRule* rule = nullptr;
    bool given = false;     // from a policy file: FILE and TYPE are what the row gets
    char slot = 0;          // 'a' or 'b': the rule is the base name's
    std::string stock_type; // the type stock tables give the name (or its base)
};

ScatterPolicy::Found ScatterPolicy::find(const std::string& name) const {
    auto exact = [&](const std::string& n, Found& f) {
        if (auto it = given_.find(n); it != given_.end()) {
            f.rule = &it->second;
            f.given = true;
        } else if (auto st = stock_.find(n); st != stock_.end()) {
            f.rule = &st->second;
        }
        if (auto st = stock_.find(n); st != stock_.end() && f.stock_type.empty()) f.stock_type = st->second.type;
        return f.rule != nullptr;
    };
    auto own_or_stem = [&](const std::string& n, Found& f) {
        if (exact(n, f)) return true;
        const std::string pattern = stem_pattern(n);
        return !pattern.empty() && exact(pattern, f);
    };
    Found f;
    if (own_or_stem(name, f)) return f;
    if (name.size() > 2 && (name.ends_with("_a") || name.ends_with("_b"))) {
        Found base;
        base.slot = name.back();
        if (own_or_stem(name.substr(0, name.size() - 2), base)) return base;
    }
    return f;
}

bool ScatterPolicy::knows(const std::string& name) const { return find(name).rule != nullptr; }

ScatterPolicy ScatterPolicy::builtin() {
    ScatterPolicy p;
    p.load_stock(stock_policy_table("mt6752"), "policy table mt6752");
    return p;
}

ScatterPolicy ScatterPolicy::for_generation(const ScatterGeneration& generation) {
    ScatterPolicy p;
    for (std::string_view table : generation.policy) {
        p.load_stock(stock_policy_table(table), "policy table " + std::string(table));
    }
    return p;
}

void ScatterPolicy::add(std::string_view text, const std::string& source, Rules& into) {
    Lines lines(text, source);
    for (std::string_view line; lines.next(&line);) {
        const std::vector<std::string> words = words_of(line);
        if (words.empty()) continue;
        into[words[0]] = parse_rule(words, source + ": line " + std::to_string(lines.number()));
    }
}

void ScatterPolicy::load(std::string_view text, const std::string& source) { add(text, source, given_); }
void ScatterPolicy::load_stock(std::string_view text, const std::string& source) { add(text, source, stock_); }

PartitionPlan ScatterPolicy::plan(const std::string& name, const std::string& content) const {
    const Found found = find(name);
    const PolicyRule unknown{"INVISIBLE", "", "", {}, {}, {}, {}};
    // A name no rule knows that holds a MediaTek image (the 0x58881688 header MediaTek's build
    // puts on lk, md1img, scp, sspm, tee, gz, dpm, ... : format/content.h) is firmware stock
    // downloads, like those rows: UPDATE NAME.img.
    const PolicyRule firmware{"UPDATE", "", "NORMAL_ROM", true, {}, {}, {}};
    const PolicyRule& rule = found.rule ? *found.rule : content == "mtk-image" ? firmware : unknown;
    // Stock ships one file for an A/B pair: the _b row is a placeholder (MODERN.md 1.5).
    const bool placeholder = found.slot == 'b' && file_names_ == FileNames::stock;
    PartitionPlan p;
    p.known = found.rule != nullptr;
    p.firmware_by_content = !found.rule && content == "mtk-image";
    p.operation_type = placeholder ? "INVISIBLE" : rule.operation;
    p.is_upgradable = rule.upgradable.value_or(downloaded_operation(rule.operation));
    p.empty_boot_needed = found.slot != 'b' && rule.empty_boot.value_or(false);
    p.combo_partsize_check = rule.combo.value_or(false);
    const bool by_rule = !placeholder && rule.download.value_or(downloaded_operation(rule.operation));
    p.is_download = (by_rule || opted_in_.count(name)) && !p.reserved() && !opted_out_.count(name);

    const bool content_known = !content.empty() && content != "unchecked" && content != "missing";
    if (found.given && !rule.type.empty()) {
        p.type = rule.type;
        p.type_from = TypeSource::rule;
    } else if (content_known && (p.is_download || found.stock_type.empty())) {
        // f2fs is EXT4_IMG too: SP Flash Tool writes any Android sparse image of such a row, and
        // stock MediaTek scatters type an f2fs userdata EXT4_IMG (the Redmi 9A's, f2fs on the phone:
        // doc/TESTING.md's samples); ext4-sparse writes it (doc/FORMATS.md).
        p.type = content == "ext4" || content == "f2fs" ? kExt4 : kRaw;
    } else if (!found.stock_type.empty()) {
        // Not downloaded: the type is stock's (a row SP Flash Tool never writes); or the content
        // is unknown: the type stock builds give the name.
        p.type = found.stock_type;
        p.type_from = content_known ? TypeSource::content : TypeSource::stock_name;
    } else {
        p.type = kRaw;
        p.type_from = TypeSource::nothing;
    }

    if (!p.is_download) {
        // DOWNLOAD false beside a FILE: the row names a file it does not download (OPPO's
        // super.img, shipped in pieces: MODERN.md 1.7); otherwise NONE.
        const bool named = rule.download == std::optional<bool>(false) && !rule.file_name.empty() && !placeholder;
        p.file_name = named && !opted_out_.count(name) ? rule.file_name : "NONE";
    } else if (found.given && !rule.file_name.empty()) {
        p.file_name = rule.file_name;
    } else if (file_names_ == FileNames::partition || own_files_.count(name) || placeholder) {
        p.file_name = own_file(name, rule.file_name);
    } else {
        const std::string base = found.slot ? name.substr(0, name.size() - 2) : name;
        p.file_name = rule.file_name.empty() ? base + ".img" : rule.file_name;
    }
    return p;
}

PartitionPlan ScatterPolicy::plan_in_middle(const std::string& name, const std::string& content) const {
    PartitionPlan p = plan(name, content);
    if (!p.reserved()) return p;
    p.operation_type = "INVISIBLE";
    p.is_download = opted_in_.count(name) && !opted_out_.count(name);
    p.file_name = p.is_download ? own_file(name, "") : "NONE";
    return p;
}

}  // namespace mtkfw
