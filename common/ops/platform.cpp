#include "ops/platform.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "format/build_prop.h"
#include "ops/ext4_file.h"
#include "ops/ext4_volume.h"

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

std::optional<Platform> from_partition(const Input& in, const PartitionTable& table, const Source& src,
                                       Notices& notices) {
    const PartitionRow* row = table.find(src.partition);
    if (!row || row->content.rfind("ext", 0) != 0 || !in.seekable() || row->end() > in.size()) return std::nullopt;
    try {
        const ext4::Volume volume = ext4::Volume::open(in, row->start, row->size);
        for (const char* path : src.paths) {
            const std::optional<std::string> props = ext4::read_file(volume, path, kMaxBuildPropBytes);
            if (!props) continue;
            for (const char* key : src.keys) {
                std::string value = build_prop::value(*props, key);
                if (value.empty()) continue;
                std::transform(value.begin(), value.end(), value.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                return Platform{value, std::string(src.partition) + ":" + path + " " + key};
            }
        }
    } catch (const Failure& f) {
        notices.push_back({Notice::Level::warning, std::string(src.partition) + ": cannot read build.prop: " + f.what()});
    }
    return std::nullopt;
}

}  // namespace

std::optional<Platform> detect_platform(const Input& in, const PartitionTable& table, Notices& notices) {
    for (const Source& src : kSources) {
        if (auto p = from_partition(in, table, src, notices)) return p;
    }
    return std::nullopt;
}

}  // namespace mtkfw
