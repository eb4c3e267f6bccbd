#include "ops/platform.h"

#include <algorithm>
#include <cctype>

#include "format/build_prop.h"
#include "ops/ext4_file.h"
#include "ops/ext4_volume.h"

namespace mtkfw {
namespace {

constexpr size_t kMaxBuildPropBytes = 256 * 1024;
constexpr const char* kBuildProps[] = {"/build.prop", "/system/build.prop"};
constexpr const char* kKeys[] = {"ro.mediatek.platform", "ro.board.platform"};

}  // namespace

std::optional<Platform> detect_platform(const Input& in, const PartitionTable& table, Notices& notices) {
    const PartitionRow* system = table.find("system");
    if (!system || system->content.rfind("ext", 0) != 0 || !in.seekable() || system->end() > in.size()) {
        return std::nullopt;
    }
    try {
        const ext4::Volume volume = ext4::Volume::open(in, system->start, system->size);
        for (const char* path : kBuildProps) {
            const std::optional<std::string> props = ext4::read_file(volume, path, kMaxBuildPropBytes);
            if (!props) continue;
            for (const char* key : kKeys) {
                std::string value = build_prop::value(*props, key);
                if (value.empty()) continue;
                std::transform(value.begin(), value.end(), value.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                return Platform{value, std::string("system:") + path + " " + key};
            }
        }
    } catch (const Failure& f) {
        notices.push_back({Notice::Level::warning, std::string("system: cannot read build.prop: ") + f.what()});
    }
    return std::nullopt;
}

}  // namespace mtkfw
