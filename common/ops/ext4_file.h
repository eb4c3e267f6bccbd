// Reading one small file out of an ext2/3/4 file system without mounting it: path lookup through
// directories, then the file's blocks through its extent tree or its classic block map.  Enough to
// read /build.prop from a system partition inside a USER dump.
//
// Sources: Linux Documentation/filesystems/ext4 (dynamic/inodes.rst, dynamic/ifork.rst,
// dynamic/directory.rst), e2fsprogs lib/ext2fs/ext2_fs.h and ext3_extents.h.
//
// Inode (s_inode_size bytes; inode N is entry (N-1) % inodes_per_group of group
// (N-1) / inodes_per_group's inode table):
//   0x00 u16 i_mode      0x4000 directory, 0x8000 regular file - anything else: not followed
//   0x04 u32 i_size_lo   (+0x6C i_size_high) bytes in the file
//   0x20 u32 i_flags     EXTENTS (0x80000): i_block is an extent tree; INLINE_DATA (0x10000000):
//                        data inside the inode - refused (not produced by make_ext4fs or mke2fs -d
//                        defaults)
//   0x28 60  i_block     extent tree root, or 12 direct + single/double/triple indirect block numbers
// Extent header (12 bytes, at the start of i_block and of every tree block):
//   0x00 u16 eh_magic 0xF30A - else "corrupt extent tree" · 0x02 u16 eh_entries (<= eh_max) ·
//   0x04 u16 eh_max · 0x06 u16 eh_depth (0 = leaves follow; at most 5)
// Leaf (12 bytes): u32 ee_block (logical), u16 ee_len (> 32768: uninitialised, reads as zeros,
//   length ee_len - 32768), u16 ee_start_hi, u32 ee_start_lo.
// Index (12 bytes): u32 ei_block, u32 ei_leaf_lo, u16 ei_leaf_hi, u16 unused.
// Directory entry: u32 inode (0: unused), u16 rec_len (>= 8, within the block), u8 name_len,
//   u8 file_type, name.  Hashed (htree) directories are read the same way: their index blocks
//   look like one unused entry spanning the block.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ops/ext4.h"

namespace mtkfw::ext4 {

constexpr uint32_t kRootInode = 2;

// The contents of the regular file at `path` ("/build.prop"), at most `max_bytes` of it.
// nullopt with `why` set when the path does not exist or names no regular file; a file system too
// damaged to follow (bad root, extents, directory entries, blocks outside it) is a Failure.
std::optional<std::string> read_file(const Volume& volume, std::string_view path, size_t max_bytes,
                                     std::string* why);

// The value of `key` in an Android property file ("key=value" lines), or "" when absent.
std::string property(std::string_view props, std::string_view key);

}  // namespace mtkfw::ext4
