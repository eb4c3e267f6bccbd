// Reading one small file (a build.prop, an fstab) by path out of the file system a Region holds,
// whatever it is: ext2/3/4 (ops/ext4_file.h) or erofs (ops/erofs_file.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "io/region.h"

namespace mtkfw {

// nullopt when the region holds no file system we read, or no regular file at `path`; a file
// system too damaged to follow is a Failure.
std::optional<std::string> read_fs_file(const Region& fs, std::string_view path, size_t max_bytes);

}  // namespace mtkfw
