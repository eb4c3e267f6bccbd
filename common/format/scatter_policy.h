// What a scatter file does with each partition: operation_type, whether it is downloaded, its
// file name and type, and the 16/17-key rows' is_upgradable, empty_boot_needed and
// combo_partsize_check.  The stock rules of each generation (format/scatter_generation.h) are
// rule tables in the policy-file text below, embedded in scatter_policy_tables.cpp and read by
// the same reader as a --policy file; a policy file's rules go on top of them.
//
// Policy file (`scatter-gen --policy FILE`), one rule per line, '#' starts a comment:
//   NAME  OPERATION  [FILE  [TYPE  [UPGRADABLE  [EMPTY_BOOT  [COMBO  [DOWNLOAD]]]]]]
//     NAME       a partition name; "stem*" matches stem + digits (cam_vpu1, opporeserve7)
//     OPERATION  UPDATE or NEEDRESIZE (downloaded; NEEDRESIZE: SP Flash Tool grows the row to the
//                next one, MODERN.md 1.8), PROTECTED, BINREGION, INVISIBLE, or RESERVED (end-relative
//                tail, like flashinfo and otp, when the row is in the table's tail)
//     FILE       the image's file name when downloaded; "-": the default (below)
//     TYPE       NORMAL_ROM, EXT4_IMG, or "auto"/"-"
//     UPGRADABLE, EMPTY_BOOT, COMBO   true|false|- : the row's is_upgradable, empty_boot_needed,
//                combo_partsize_check (written only by generations with those keys); "-": true for
//                UPDATE/NEEDRESIZE rows, else false; false; false
//     DOWNLOAD   true|false|- : against the operation's default (stock: OPPO's opporeserve2 is
//                a downloaded PROTECTED row, init_boot_a an UPDATE row without a file); false
//                with a FILE keeps the name in file_name (OPPO's super.img, not downloaded)
//   e.g.  tee1 UPDATE trustzone.bin      tee2 UPDATE trustzone.bin      (one shared file)
// A rule replaces the rule of the same name; other names keep theirs.
//
// In a policy file FILE and TYPE are what the row gets.  In the stock tables they are what stock
// firmware says: FILE is the stock package's name (used by --file-names stock; --file-names
// partition takes only its extension), TYPE is used when the partition's content is unknown (a
// table from a pipe) or for a row that is not downloaded; a downloaded row's type follows its
// content (EXT4_IMG when gpt-list found ext4 or f2fs: SP Flash Tool writes such files sparse).
//
// Names without a rule of their own:
//   NAME_a  the rule of NAME: downloaded as stock's unsuffixed file (boot_a -> boot.img)
//   NAME_b  stock: INVISIBLE, not downloaded, NAME's is_upgradable (MODERN.md 1.5);
//           --file-names partition: NAME's rule, downloaded from its own file (boot_b.img)
//   other   holding a MediaTek image (content mtk-image): UPDATE NAME.img, as every firmware
//           row of the stock samples; else INVISIBLE, not downloaded (a notice says which)
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mtkfw {

struct ScatterGeneration;

struct PolicyRule {
    std::string operation;  // UPDATE, NEEDRESIZE, PROTECTED, BINREGION, INVISIBLE, RESERVED
    std::string file_name;  // empty: default
    std::string type;       // empty: from the partition's content
    std::optional<bool> upgradable, empty_boot, combo, download;
};

// Where a plan's type comes from: a rule's TYPE, the partition's content, the type stock builds
// give its name (the content is unknown: a table read from a pipe; or a row not downloaded), or
// nothing at all (then NORMAL_ROM, right only for a partition that is not downloaded).
enum class TypeSource { rule, content, stock_name, nothing };

// --file-names: every downloaded partition its own image, or the stock package's names.
enum class FileNames { partition, stock };

// The decision for one partition.
struct PartitionPlan {
    std::string operation_type;
    bool is_download = false;
    std::string file_name;  // "NONE" when not downloaded (but see DOWNLOAD false above)
    std::string type;       // NORMAL_ROM or EXT4_IMG
    TypeSource type_from = TypeSource::content;
    bool known = true;      // false: no rule named it (INVISIBLE by default)
    bool firmware_by_content = false;  // no rule, but a MediaTek image: UPDATE as firmware rows are
    bool is_upgradable = false;
    bool empty_boot_needed = false;
    bool combo_partsize_check = false;
    bool reserved() const { return operation_type == "RESERVED"; }
};

class ScatterPolicy {
public:
    // The stock MT6752-era rules (the mt6752 generation's).
    static ScatterPolicy builtin();
    // The stock rules of `generation`: its tables, in order.
    static ScatterPolicy for_generation(const ScatterGeneration& generation);

    // Adds the rules of a policy file; Failure(invalid_input) naming `source` and the line.
    void load(std::string_view text, const std::string& source);
    // Adds the rules of a stock table (FILE and TYPE are stock's, see above).
    void load_stock(std::string_view text, const std::string& source);
    // --download: these names are downloaded whatever their operation.
    void opt_in(const std::set<std::string>& names) { opted_in_ = names; }
    // --skip: these names are never downloaded (a truncated readback lacks them); they stay rows.
    void opt_out(const std::set<std::string>& names) { opted_out_ = names; }
    // --file-names, and --own-file's names (stock names only: these get NAME + extension).
    void name_files(FileNames names, const std::set<std::string>& own = {}) {
        file_names_ = names;
        own_files_ = own;
    }

    // `content` is gpt-list's content column ("ext4", "zero", "unchecked", ...; "unchecked" or
    // empty: unknown).
    PartitionPlan plan(const std::string& name, const std::string& content) const;
    // The plan of a name the table has but the tail does not take: RESERVED rows in the middle
    // of the table (otp between seccfg and md1img on MT6779/81/33) are ordinary INVISIBLE rows.
    PartitionPlan plan_in_middle(const std::string& name, const std::string& content) const;
    // A rule names it, its own or its base's (NAME_a, NAME_b, stem*).
    bool knows(const std::string& name) const;

private:
    using Rules = std::map<std::string, PolicyRule, std::less<>>;
    struct Found;
    Found find(const std::string& name) const;
    void add(std::string_view text, const std::string& source, Rules& into);

    Rules stock_, given_;
    std::set<std::string> opted_in_, opted_out_, own_files_;
    FileNames file_names_ = FileNames::partition;
};

// The stock rule tables by name ("mt6752", "modern", ...), policy-file text; empty when unknown.
std::string_view stock_policy_table(std::string_view name);

}  // namespace mtkfw
