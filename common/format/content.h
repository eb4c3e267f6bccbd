// What a partition holds, guessed from its first bytes (at most kContentProbeBytes), for the
// table's "content" column: the table of magics.  Sources for the magics: f2fs-tools
// include/f2fs_fs.h, erofs-utils include/erofs_fs.h, squashfs-tools squashfs_fs.h, AOSP
// system/tools/mkbootimg (boot image), AOSP libsparse sparse_format.h, MediaTek LK mkimage
// header, doc/FORMATS.md (GFH), Microsoft FAT specification.
//
// Kinds: ext4 ext3 ext2 (ops/content.h: the whole superblock is checked, before this table)
//        f2fs erofs squashfs android-boot android-sparse mtk-image gfh-preloader fat (this table,
//        first match wins) lp (LP metadata of a super partition, ops/lp_super.h: its
//        geometry is at 0x1000, past the probe, so ops/content.h looks for it; label
//        "LP 10.2, 3 slots, 6 partitions" or "damaged LP metadata") zero (every byte 0)
//        unknown; "unchecked" when the dump could not be read there (a pipe); "missing" when the
//        dump ends before the partition starts; "empty" for a logical partition of no extents.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace mtkfw {

constexpr size_t kContentProbeBytes = 4096;

struct Content {
    std::string kind;
    std::string label;  // file system label, MediaTek image name, ... (may be empty)
};

// What to do with a row's label field once its magics match.
enum class LabelRule {
    ascii,         // NUL-padded ASCII, cut to the bytes there are
    whole_ascii,   // the same, and the field must be whole in the probe, else no match
    space_padded,  // NUL- or space-padded ASCII (FAT): trailing spaces dropped
};

// One kind: its magic (bytes as stored: little-endian numbers byte by byte), a second magic
// that must match too, and where its label is.
struct ContentMagic {
    std::string_view kind;
    size_t offset;
    std::string_view magic;  // width: its size
    size_t also_offset;
    std::string_view also_magic;  // empty: none
    size_t label_offset, label_width;  // width 0: no label
    LabelRule label_rule;
};

inline constexpr ContentMagic kContentMagics[] = {
//   kind              offset  magic (0x.. : little-endian u32)  and also at           label at/width  rule
    {"f2fs",           1024,   "\x10\x20\xF5\xF2" /*0xF2F52010*/, 0,   "",              0,    0,  LabelRule::ascii},
    {"erofs",          1024,   "\xE2\xE1\xF5\xE0" /*0xE0F5E1E2*/, 0,   "",              0,    0,  LabelRule::ascii},
    {"squashfs",       0,      "hsqs",                            0,   "",              0,    0,  LabelRule::ascii},
    {"android-boot",   0,      "ANDROID!",                        0,   "",              0x30, 16, LabelRule::ascii},
    {"android-sparse", 0,      "\x3A\xFF\x26\xED" /*0xED26FF3A*/, 0,   "",              0,    0,  LabelRule::ascii},
    {"mtk-image",      0,      "\x88\x16\x88\x58" /*0x58881688*/, 0,   "",              8,    32, LabelRule::whole_ascii},
    {"gfh-preloader",  0,      "MMM\x01",                         8,   "FILE_INFO",     0,    0,  LabelRule::ascii},
    {"fat",            82,     "FAT32",                           510, "\x55\xAA",      71,   11, LabelRule::space_padded},
    {"fat",            54,     "FAT",                             510, "\x55\xAA",      43,   11, LabelRule::space_padded},
};

// The kind of `head` by this table, else "zero" (all bytes 0, at least one), else "unknown".
// File systems found by a whole-superblock check (ext2/3/4) are the caller's to try first.
Content content_by_magic(Bytes head);

}  // namespace mtkfw
