#include "ops/platform.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <vector>

#include "format/build_prop.h"
#include "io/region.h"
#include "ops/fs_file.h"
#include "ops/lp_super.h"

namespace mtkfw {
namespace {

constexpr size_t kMaxBuildPropBytes = 256 * 1024;

struct Source {
    const char* partition;
    std::initializer_list<const char*> paths;
    std::initializer_list<const char*> keys;
};
const Source kSources[] = {
    {"system", {"/build.prop", "/system/build.prop"}, {"ro.mediatek.platform", "ro.board.platform"}},
    {"vendor", {"/build.prop"}, {"ro.vendor.mediatek.platform", "ro.board.platform", "ro.mediatek.platform"}},
};

// The names a source's partition goes by: itself, then with the active slot's suffix (or _a when
// no slot is known), then the other slot's.
std::vector<std::string> names_of(const char* partition, const std::string& slot) {
    const std::string first = slot == "b" ? "b" : "a", second = first == "a" ? "b" : "a";
    return {partition, std::string(partition) + "_" + first, std::string(partition) + "_" + second};
}

// The first key of `src` in the first of its paths inside `fs` (named `label` in the source).
std::optional<Platform> from_region(const Region& fs, const std::string& label, const Source& src, Notices& notices) {
    try {
        for (const char* path : src.paths) {
            const std::optional<std::string> props = read_fs_file(fs, path, kMaxBuildPropBytes);
            if (!props) continue;
            for (const char* key : src.keys) {
                std::string value = build_prop::value(*props, key);
                if (value.empty()) continue;
                std::transform(value.begin(), value.end(), value.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                return Platform{value, label + ":" + path + " " + key};
            }
        }
    } catch (const Failure& f) {
        notices.push_back({Notice::Level::warning, label + ": cannot read build.prop: " + f.what()});
    }
    return std::nullopt;
}

// A GPT partition of that name holding a file system we read.
std::optional<Platform> from_gpt(const Input& in, const PartitionTable& table, const std::string& name,
                                 const Source& src, Notices& notices) {
    const PartitionRow* row = table.find(name);
    if (!row || (row->content.rfind("ext", 0) != 0 && row->content != "erofs") || !in.seekable() ||
        row->end() > in.size()) {
        return std::nullopt;
    }
    return from_region(Region(in, row->start, row->size), name, src, notices);
}

// The logical partitions of every readable super (content `lp`) in the dump.  What reading
// super notices, or why it fails, gpt-list says already: not repeated here.
struct SuperParts {
    lp::Super super;
    std::vector<lp::LogicalPartition> parts;
};
std::vector<SuperParts> supers_of(const Input& in, const PartitionTable& table) {
    std::vector<SuperParts> out;
    if (!in.seekable()) return out;
    for (const PartitionRow& row : table.rows) {
        if (row.content != "lp" || row.end() > in.size()) continue;
        try {
            Notices ignored;
            lp::Super super = lp::read_super(in, row.start, row.size, ignored);
            std::vector<lp::LogicalPartition> parts = lp::logical_partitions(super);
            out.push_back({std::move(super), std::move(parts)});
        } catch (const Failure&) {
            // an unreadable super holds no platform we can read
        }
    }
    return out;
}

// A logical partition of that name in super ("super/vendor_a" in the source).
std::optional<Platform> from_super(const Input& in, const std::vector<SuperParts>& supers, const std::string& name,
                                   const Source& src, Notices& notices) {
    for (const SuperParts& s : supers) {
        for (const lp::LogicalPartition& part : s.parts) {
            if (part.name != name || part.size == 0) continue;
            const Region fs = lp::region_of(in, s.super, part);
            if (auto p = from_region(fs, fs.name(), src, notices)) return p;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<Platform> detect_platform(const Input& in, const PartitionTable& table, Notices& notices) {
    std::optional<std::vector<SuperParts>> supers;  // read when the GPT has no answer
    for (const Source& src : kSources) {
        const std::vector<std::string> names = names_of(src.partition, table.slot);
        for (const std::string& name : names) {
            if (auto p = from_gpt(in, table, name, src, notices)) return p;
        }
        if (!supers) supers = supers_of(in, table);
        for (const std::string& name : names) {
            if (auto p = from_super(in, *supers, name, src, notices)) return p;
        }
    }
    return std::nullopt;
}

}  // namespace mtkfw
