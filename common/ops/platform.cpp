#include "ops/platform.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <vector>

#include "format/build_prop.h"
#include "io/region.h"
#include "ops/fs_file.h"

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

}  // namespace

std::optional<Platform> detect_platform(const Input& in, const PartitionTable& table, Notices& notices) {
    for (const Source& src : kSources) {
        for (const std::string& name : names_of(src.partition, table.slot)) {
            if (auto p = from_gpt(in, table, name, src, notices)) return p;
        }
    }
    return std::nullopt;
}

}  // namespace mtkfw
