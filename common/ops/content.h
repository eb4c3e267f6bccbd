// What a partition holds, guessed from its first bytes (at most kContentProbeBytes), for the
// table's "content" column.  Sources for the magics: e2fsprogs lib/ext2fs/ext2_fs.h (ext2/3/4),
// f2fs-tools include/f2fs_fs.h, erofs-utils include/erofs_fs.h, squashfs-tools squashfs_fs.h,
// AOSP system/tools/mkbootimg (boot image), AOSP libsparse sparse_format.h, MediaTek LK
// mkimage header (0x58881688), doc/FORMATS.md (GFH), Microsoft FAT specification.
//
// Kinds: ext4 ext3 ext2 f2fs erofs squashfs android-boot android-sparse mtk-image gfh-preloader
//        fat zero unknown (and "unchecked" when the dump could not be read there: a pipe).
#pragma once

#include <string>

#include "base/bytes.h"
#include "io/input.h"
#include "format/table.h"

namespace mtkfw {

constexpr size_t kContentProbeBytes = 4096;

struct Content {
    std::string kind;
    std::string label;  // file system label, MediaTek image name, ... (may be empty)
};

Content detect_content(Bytes head);

// Fills `content` and `label` of every row that lies inside the (seekable) dump.
void detect_contents(const Input& in, PartitionTable* table);

}  // namespace mtkfw
