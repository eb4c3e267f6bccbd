// Reading one small file out of an ext2/3/4 file system without mounting it: path lookup through
// directories, then the file's blocks through its extent tree or its classic block map.  Enough to
// read /build.prop from a system partition inside a USER dump.
//
// Sources: Linux Documentation/filesystems/ext4 (dynamic/inodes.rst, dynamic/ifork.rst,
// dynamic/directory.rst), e2fsprogs lib/ext2fs/ext2_fs.h and ext3_extents.h.
//
// Every field read is an offset constant below, on its documentation row.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/ext4_volume.h"

namespace mtkfw::ext4 {

constexpr uint32_t kRootInode = 2;

// Inode (s_inode_size bytes; inode N is entry (N-1) % inodes_per_group of group
// (N-1) / inodes_per_group's inode table).  Only its first 128 bytes are read.
constexpr size_t kInodeReadBytes = 128;
constexpr size_t kIModeAt = 0x00;    // u16 0x4000 directory, 0x8000 regular file - else not followed
constexpr size_t kISizeLoAt = 0x04;  // u32 bytes in the file (low half)
constexpr size_t kIFlagsAt = 0x20;   // u32 EXTENTS (0x80000): i_block is an extent tree;
                                     //     INLINE_DATA (0x10000000): data inside the inode - refused
                                     //     (not produced by make_ext4fs or mke2fs -d defaults)
constexpr size_t kIBlockAt = 0x28;   // 60 bytes: extent tree root, or 12 direct + single/double/
constexpr size_t kIBlockSize = 60;   //     triple indirect block numbers (u32 each)
constexpr size_t kISizeHighAt = 0x6C;  // u32 bytes in the file (high half)

// Extent header, 12 bytes, at the start of i_block and of every tree block.
constexpr size_t kExtentHeaderSize = 12;
constexpr size_t kEhMagicAt = 0x00;    // u16 0xF30A - else "corrupt extent tree"
constexpr size_t kEhEntriesAt = 0x02;  // u16 entries that follow - must fit the node and be <= eh_max
constexpr size_t kEhMaxAt = 0x04;      // u16 capacity of the node
constexpr size_t kEhDepthAt = 0x06;    // u16 0: leaves follow; else index entries (at most 5 levels)
// An extent tree entry, 12 bytes: a leaf at depth 0, an index above.
constexpr size_t kExtentEntrySize = 12;
constexpr size_t kEeBlockAt = 0x00;    // leaf u32 first logical block (entries below the limit are read)
constexpr size_t kEeLenAt = 0x04;      // leaf u16 blocks; > 32768: uninitialised (reads as zeros),
                                       //     length ee_len - 32768
constexpr size_t kEeStartHiAt = 0x06;  // leaf u16 physical start, high half
constexpr size_t kEeStartLoAt = 0x08;  // leaf u32 physical start, low half - must lie inside
constexpr size_t kEiBlockAt = 0x00;    // index u32 first logical block it covers
constexpr size_t kEiLeafLoAt = 0x04;   // index u32 child block, low half - must lie inside
constexpr size_t kEiLeafHiAt = 0x08;   // index u16 child block, high half

// Directory entry: 8 bytes then the name.  Hashed (htree) directories are read the same way:
// their index blocks look like one unused entry spanning the block.
constexpr size_t kDirentHeaderSize = 8;
constexpr size_t kDInodeAt = 0x00;    // u32 0: unused entry
constexpr size_t kDRecLenAt = 0x04;   // u16 >= 8 and within the block, >= 8 + name_len - else corrupt
constexpr size_t kDNameLenAt = 0x06;  // u8
constexpr size_t kDNameAt = 0x08;     // name_len bytes, no NUL (the u8 file_type at 0x07 is not read)

// The contents of the regular file at `path` ("/build.prop"), at most `max_bytes` of it, or
// nullopt when no regular file is there (a question, not a failure); a file system too damaged
// to follow (bad root, extents, directory entries, blocks outside it) is a Failure.
std::optional<std::string> read_file(const Volume& volume, std::string_view path, size_t max_bytes);

// The names in the directory at `path` ("/etc"), in the order stored, without "." and "..", or
// nullopt when no directory is there.
std::optional<std::vector<std::string>> list_dir(const Volume& volume, std::string_view path);

}  // namespace mtkfw::ext4
