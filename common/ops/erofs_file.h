// Reading one small file by path out of an erofs file system (format/erofs.h) inside a Region:
// plain (FLAT_PLAIN), inline (FLAT_INLINE: tail-packed), chunk-based and lz4-compressed files
// (COMPRESSED_FULL and COMPRESSED_COMPACT indexes, big pclusters, 0padding, ztailpacking).  Enough
// to read /build.prop and /etc/fstab.* from a vendor or system partition, in a dump or in super.
//
// Sources: erofs-utils include/erofs_fs.h, lib/namei.c, lib/data.c, lib/zmap.c, lib/decompress.c
// (github.com/erofs/erofs-utils@7db7878), Linux Documentation/filesystems/erofs.rst; see
// format/erofs.h for the fields and doc/FORMATS.md "erofs".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/erofs.h"
#include "io/region.h"

namespace mtkfw::erofs {

// The superblock of the erofs in `fs`: a Failure when there is none ("not an erofs file system"),
// when it is refused (unknown incompatible feature, ...), or when the file system is larger than
// the region.  Superblock::bytes() is the file system's size.
Superblock read_superblock(const Region& fs);

// The contents of the regular file at `path` ("/build.prop"), at most `max_bytes` of it, or
// nullopt when no regular file is there; a damaged file system is a Failure.
std::optional<std::string> read_file(const Region& fs, std::string_view path, size_t max_bytes);

// The names in the directory at `path` ("/etc"), as stored (sorted), without "." and "..", or
// nullopt when no directory is there.
std::optional<std::vector<std::string>> list_dir(const Region& fs, std::string_view path);

}  // namespace mtkfw::erofs
