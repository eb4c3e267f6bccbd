#include "ops/fs_file.h"

#include <algorithm>
#include <vector>

#include "format/content.h"
#include "ops/content.h"
#include "ops/erofs_file.h"
#include "ops/ext4_file.h"
#include "ops/ext4_volume.h"

namespace mtkfw {
namespace {

enum class Fs { none, ext4, erofs };

// Which reader the region's first bytes call for.
Fs kind_of(const Region& fs) {
    std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(kContentProbeBytes, fs.size())));
    fs.read_at(head.data(), head.size(), 0);
    const std::string kind = detect_content(head).kind;
    if (kind.rfind("ext", 0) == 0) return Fs::ext4;
    if (kind == "erofs") return Fs::erofs;
    return Fs::none;
}

}  // namespace

std::optional<std::string> read_fs_file(const Region& fs, std::string_view path, size_t max_bytes) {
    switch (kind_of(fs)) {
        case Fs::ext4: return ext4::read_file(ext4::Volume::open(fs), path, max_bytes);
        case Fs::erofs: return erofs::read_file(fs, path, max_bytes);
        case Fs::none: break;
    }
    return std::nullopt;
}

std::optional<std::vector<std::string>> list_fs_dir(const Region& fs, std::string_view dir) {
    std::optional<std::vector<std::string>> names;
    switch (kind_of(fs)) {
        case Fs::ext4: names = ext4::list_dir(ext4::Volume::open(fs), dir); break;
        case Fs::erofs: names = erofs::list_dir(fs, dir); break;
        case Fs::none: break;
    }
    if (names) std::sort(names->begin(), names->end());
    return names;
}

std::optional<FsFile> read_vendor_fstab(const Region& vendor, size_t max_bytes) {
    const std::optional<std::vector<std::string>> names = list_fs_dir(vendor, "/etc");
    if (!names) return std::nullopt;
    for (const std::string& name : *names) {
        if (name.rfind("fstab.", 0) != 0) continue;
        const std::string path = "/etc/" + name;
        if (std::optional<std::string> text = read_fs_file(vendor, path, max_bytes)) return FsFile{path, std::move(*text)};
    }
    return std::nullopt;
}

}  // namespace mtkfw
