#include "ops/platform.h"

#include <initializer_list>

#include "base/text.h"
#include "format/build_prop.h"
#include "io/region.h"
#include "ops/fs_file.h"
#include "ops/named_fs.h"

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

// The first key of `src` in the first of its paths inside `fs` (named `label` in the source).
std::optional<Platform> from_region(const Region& fs, const std::string& label, const Source& src, Notices& notices) {
    try {
        for (const char* path : src.paths) {
            const std::optional<std::string> props = read_fs_file(fs, path, kMaxBuildPropBytes);
            if (!props) continue;
            for (const char* key : src.keys) {
                const std::string value = build_prop::value(*props, key);
                if (value.empty()) continue;
                return Platform{to_upper(value), label + ":" + path + " " + key};
            }
        }
    } catch (const Failure& f) {
        notices.push_back({Notice::Level::warning, label + ": cannot read build.prop: " + f.what()});
    }
    return std::nullopt;
}

}  // namespace

std::optional<Platform> detect_platform(const Input& in, const PartitionTable& table, Notices& notices) {
    for (const Source& src : kSources) {
        for (const NamedFs& fs : named_file_systems(in, table, src.partition)) {
            if (auto p = from_region(fs.region, fs.label, src, notices)) return p;
        }
    }
    return std::nullopt;
}

}  // namespace mtkfw
