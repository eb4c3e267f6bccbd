// What a scatter file does with each partition: operation_type, whether it is downloaded, its
// file name and type.  The built-in rules mirror the stock MT6752 scatter (doc/FORMATS.md "Scatter
// file", its MT6752 samples); a policy file overrides them.
//
// Policy file (`scatter-gen --policy FILE`), one rule per line, '#' starts a comment:
//   NAME  OPERATION  [FILE  [TYPE]]
//     OPERATION  UPDATE (downloaded), PROTECTED, BINREGION, INVISIBLE or RESERVED (end-relative
//                tail, like flashinfo and otp)
//     FILE       the image's file name when downloaded (UPDATE, or opted in with --download);
//                "-" or absent: the stock name (lk.bin, boot.img, ...) or NAME.img
//     TYPE       NORMAL_ROM, EXT4_IMG, or "auto" (default: EXT4_IMG when gpt-list found ext4;
//                when the content is unknown - a table from a pipe - the type stock builds give
//                the name: system, cache, userdata, vendor... EXT4_IMG, lk, boot... NORMAL_ROM)
//   e.g.  tee1 UPDATE trustzone.bin      tee2 UPDATE trustzone.bin      (one shared file)
// A rule replaces the built-in rule of the same name; other names keep theirs.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mtkfw {

struct PolicyRule {
    std::string operation;  // UPDATE, PROTECTED, BINREGION, INVISIBLE, RESERVED
    std::string file_name;  // empty: default (stock name or NAME.img)
    std::string type;       // empty: from the partition's content
};

// Where a plan's type comes from: a rule's TYPE, the partition's content, the type stock builds
// give its name (the content is unknown: a table read from a pipe), or nothing at all (then
// NORMAL_ROM, right only for a partition that is not downloaded).
enum class TypeSource { rule, content, stock_name, nothing };

// The decision for one partition.
struct PartitionPlan {
    std::string operation_type;
    bool is_download = false;
    std::string file_name;  // "NONE" when not downloaded
    std::string type;       // NORMAL_ROM or EXT4_IMG
    TypeSource type_from = TypeSource::content;
    bool known = true;      // false: no rule named it (INVISIBLE by default)
    bool reserved() const { return operation_type == "RESERVED"; }
};

class ScatterPolicy {
public:
    // The stock MT6752-era rules.
    static ScatterPolicy builtin();

    // Adds the rules of a policy file; Failure(invalid_input) naming `source` and the line.
    void load(std::string_view text, const std::string& source);
    // --download: these names are downloaded whatever their operation.
    void opt_in(const std::set<std::string>& names) { opted_in_ = names; }
    // --skip: these names are never downloaded (a truncated readback lacks them); they stay rows.
    void opt_out(const std::set<std::string>& names) { opted_out_ = names; }

    // `content` is gpt-list's content column ("ext4", "zero", "unchecked", ...; "unchecked" or
    // empty: unknown).
    PartitionPlan plan(const std::string& name, const std::string& content) const;

private:
    std::map<std::string, PolicyRule, std::less<>> rules_;
    std::set<std::string> opted_in_, opted_out_;
};

}  // namespace mtkfw
