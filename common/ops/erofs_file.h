// Reading one small file by path out of an erofs file system (format/erofs.h) inside a Region:
// plain, inline (tail-packed) and lz4-compressed files.
// TODO(erofs helper): sources (erofs-utils include/erofs_fs.h, Linux Documentation/filesystems/erofs.rst).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "io/region.h"

namespace mtkfw::erofs {

// nullopt when no regular file is at `path`; a damaged file system is a Failure.
std::optional<std::string> read_file(const Region& fs, std::string_view path, size_t max_bytes);

}  // namespace mtkfw::erofs
