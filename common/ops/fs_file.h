// Reading one small file (a build.prop, an fstab) by path out of the file system a Region holds,
// whatever it is: ext2/3/4 (ops/ext4_file.h) or erofs (ops/erofs_file.h), told apart by the
// content check of ops/content.h on the region's first 4 KiB.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/region.h"

namespace mtkfw {

// nullopt when the region holds no file system we read, or no regular file at `path`; a file
// system too damaged to follow is a Failure.
std::optional<std::string> read_fs_file(const Region& fs, std::string_view path, size_t max_bytes);

// The names in directory `dir` ("/etc") of that file system, without "." and "..", sorted; nullopt
// when the region holds no file system we read or no directory is there.
std::optional<std::vector<std::string>> list_fs_dir(const Region& fs, std::string_view dir);

// The first (by name) /etc/fstab.* of a vendor partition (mounted as /vendor, so the phone's
// /vendor/etc/fstab.mt6833), at most `max_bytes`; nullopt when there is none.
struct FsFile {
    std::string path;  // "/etc/fstab.mt6833"
    std::string text;
};
std::optional<FsFile> read_vendor_fstab(const Region& vendor, size_t max_bytes);

}  // namespace mtkfw
