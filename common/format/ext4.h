// ext2/ext3/ext4 metadata: the superblock, group descriptors, the layout of block groups and
// which blocks are in use.
//
// Sources: Linux Documentation/filesystems/ext4 (on-disk layout), e2fsprogs lib/ext2fs/ext2_fs.h
// (fields and feature bits), lib/ext2fs/closefs.c ext2fs_super_and_bgd_loc2 and
// ext2fs_bg_has_super (where superblock and descriptor copies live), openfs.c
// ext2fs_descriptor_block_loc2 (META_BG), rw_bitmaps.c and alloc_sb.c (how BLOCK_UNINIT groups
// are read: no bitmap, used blocks = their metadata).  All integers little-endian.
//
// Every field the code reads is an offset constant below, on the row that documents it: width,
// expected value, what a reader does on a mismatch.  Descriptor checksums are not verified
// (e2fsck does that); a BLOCK_UNINIT flag is trusted when the file system has group descriptor
// checksums, as the kernel does after mounting.  Volume (ops/ext4_volume.h) reads these
// structures out of an input; everything here is bytes in, structs out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace mtkfw::ext4 {

constexpr uint64_t kSuperblockOffset = 1024;  // of the file system
constexpr size_t kSuperblockSize = 1024;
constexpr uint16_t kMagic = 0xEF53;

// Superblock fields (offsets in the superblock).
constexpr size_t kSBlocksCountLoAt = 0x04;  // u32 s_blocks_count_lo: with s_blocks_count_hi (64BIT
                                            //     only) the file system must fit the input, else
                                            //     "blocks count past the end of the input"
constexpr size_t kSFirstDataBlockAt = 0x14;  // u32 1 for 1 KiB blocks, else 0 - reject anything else
constexpr size_t kSLogBlockSizeAt = 0x18;    // u32 block size = 1024 << this; 0..6 (1..64 KiB) - reject more
constexpr size_t kSBlocksPerGroupAt = 0x20;  // u32 256..8*block size, a multiple of 8 (mke2fs' limits)
                                             //     - reject others
constexpr size_t kSInodesPerGroupAt = 0x28;  // u32 > 0 - reject 0
constexpr size_t kSMagicAt = 0x38;           // u16 0xEF53 - else "not an ext2/3/4 file system"
constexpr size_t kSRevLevelAt = 0x4C;        // u32 0 (GOOD_OLD: inode size 128, no feature fields) or
                                             //     1 (DYNAMIC) - any non-zero value is read as 1:
                                             //     e2fsprogs refuses more than 1, the kernel mounts
                                             //     it read-only; we only read, so it is accepted
constexpr size_t kSInodeSizeAt = 0x58;       // u16 rev 1: a power of two, 128..block size - reject others
constexpr size_t kSFeatureCompatAt = 0x5C;   // u32 SPARSE_SUPER2 moves superblock backups; others ignored
constexpr size_t kSFeatureIncompatAt = 0x60;  // u32 known bits only (kIncompatSupported); RECOVER,
                                              //     COMPRESSION, JOURNAL_DEV and unknown bits are
                                              //     refused (Remedy::copy_every_block)
constexpr size_t kSFeatureRoCompatAt = 0x64;  // u32 SPARSE_SUPER, GDT_CSUM and METADATA_CSUM matter;
                                              //     BIGALLOC is refused; others ignored
constexpr size_t kSVolumeNameAt = 0x78;       // char[16] label, NUL-padded - shown only
constexpr size_t kSVolumeNameSize = 16;
constexpr size_t kSReservedGdtBlocksAt = 0xCE;  // u16 blocks kept after the descriptors for growth
constexpr size_t kSDescSizeAt = 0xFE;           // u16 64BIT only: a power of two, 64..1024 - reject others
constexpr size_t kSFirstMetaBgAt = 0x104;       // u32 META_BG only: descriptor blocks before this are
                                                //     in the classic place, later ones at the start
                                                //     of their meta group (clamped to the table)
constexpr size_t kSBlocksCountHiAt = 0x150;     // u32 64BIT only: high half of s_blocks_count
constexpr size_t kSBackupBgsAt = 0x24C;         // u32[2] SPARSE_SUPER2 only: the two groups with
                                                //     superblock backups

// Group descriptor fields: 32 bytes, or s_desc_size with 64BIT (the _hi halves then follow).
constexpr size_t kBgBlockBitmapAt = 0x00;  // u32 _lo (+0x20 _hi) - must lie inside the file system
constexpr size_t kBgInodeBitmapAt = 0x04;  // u32 _lo (+0x24 _hi) - must lie inside the file system
constexpr size_t kBgInodeTableAt = 0x08;   // u32 _lo (+0x28 _hi) - it and its blocks must lie inside
constexpr size_t kBgFlagsAt = 0x12;        // u16 BLOCK_UNINIT (kBgBlockUninit): with GDT_CSUM or
                                           //     METADATA_CSUM the block bitmap is not initialised;
                                           //     its used blocks are computed
constexpr size_t kBgHiHalfAt = 0x20;       // 64BIT with s_desc_size >= 64: _hi of the three above
constexpr uint16_t kDescSize = 32;

constexpr uint32_t kCompatHasJournal = 0x4, kCompatSparseSuper2 = 0x200;
constexpr uint32_t kIncompatCompression = 0x1, kIncompatFiletype = 0x2, kIncompatRecover = 0x4,
                   kIncompatJournalDev = 0x8, kIncompatMetaBg = 0x10, kIncompatExtents = 0x40,
                   kIncompat64bit = 0x80, kIncompatMmp = 0x100, kIncompatFlexBg = 0x200,
                   kIncompatEaInode = 0x400, kIncompatDirdata = 0x1000, kIncompatCsumSeed = 0x2000,
                   kIncompatLargedir = 0x4000, kIncompatInlineData = 0x8000, kIncompatEncrypt = 0x10000,
                   kIncompatCasefold = 0x20000;
// Features that do not change where metadata lives or what the block bitmaps mean.
constexpr uint32_t kIncompatSupported = kIncompatFiletype | kIncompatMetaBg | kIncompatExtents |
                                        kIncompat64bit | kIncompatMmp | kIncompatFlexBg | kIncompatEaInode |
                                        kIncompatDirdata | kIncompatCsumSeed | kIncompatLargedir |
                                        kIncompatInlineData | kIncompatEncrypt | kIncompatCasefold;
constexpr uint32_t kRoCompatSparseSuper = 0x1, kRoCompatHugeFile = 0x8, kRoCompatGdtCsum = 0x10, kRoCompatBigalloc = 0x200,
                   kRoCompatMetadataCsum = 0x400;
constexpr uint16_t kBgBlockUninit = 0x2;

// The superblock as the code uses it: the s_ fields above (0 when their feature is off), then
// what follows from them.
struct Superblock {
    uint64_t blocks_count = 0;  // _lo and, with 64BIT, _hi
    uint32_t block_size = 0;    // 1024 << s_log_block_size
    uint32_t first_data_block = 0, blocks_per_group = 0, inodes_per_group = 0;
    uint32_t feature_compat = 0, feature_incompat = 0, feature_ro_compat = 0;
    uint16_t inode_size = 0;  // 128 at revision 0
    uint16_t reserved_gdt_blocks = 0, desc_size = kDescSize;
    uint32_t first_meta_bg = 0, backup_bgs[2] = {0, 0};
    std::string label;
    // Derived.
    uint32_t group_count = 0, descs_per_block = 0;
    uint32_t desc_blocks = 0;  // blocks the whole descriptor table takes
    uint32_t inode_blocks_per_group = 0;

    bool meta_bg() const { return feature_incompat & kIncompatMetaBg; }
    bool group_csum() const { return feature_ro_compat & (kRoCompatGdtCsum | kRoCompatMetadataCsum); }
};

// Throws Failure(invalid_input) saying why `sb` cannot be an ext2/3/4 superblock (too short, no
// magic, or a geometry mke2fs cannot make: block size, first data block, blocks or inodes per
// group).  The magic alone is 2 bytes that one random binary partition in 65,536 holds: content
// detection asks this too (and takes a Failure as "not ext").
void check_superblock(Bytes sb);
// Parses and validates the 1024-byte superblock.  `what` names the input in errors.
Superblock parse_superblock(Bytes sb, const std::string& what);

struct GroupDesc {
    uint64_t block_bitmap = 0, inode_bitmap = 0, inode_table = 0;
    uint16_t flags = 0;
    bool block_uninit_flag() const { return flags & kBgBlockUninit; }
};

// The descriptors of one descriptor block (descs_per_block of them, fewer in the last block),
// for groups from `first_group`; each is checked to point inside the file system.
std::vector<GroupDesc> parse_descriptor_block(Bytes block, const Superblock& sb, uint32_t first_group,
                                              const std::string& what);

// Layout, as e2fsprogs computes it.
uint64_t group_first_block(const Superblock& sb, uint32_t group);
uint32_t group_block_count(const Superblock& sb, uint32_t group);
uint32_t group_of(const Superblock& sb, uint64_t block);  // block >= first_data_block
bool group_has_super(const Superblock& sb, uint32_t group);
// Block number of descriptor block `index` (0 .. desc_blocks-1) of the primary table.
uint64_t descriptor_block(const Superblock& sb, uint32_t index);
// The inverse: which descriptor block `block` is, if it is one of the primary table.
std::optional<uint32_t> descriptor_index(const Superblock& sb, uint64_t block);

// Which blocks are used, group by group: the on-disk bitmap, or for a BLOCK_UNINIT group the
// superblock/descriptor copies it holds plus its own bitmaps and inode table (like e2fsprogs'
// mark_uninit_bg_group_blocks; those may lie in other groups under FLEX_BG).
class UsedBlocks {
public:
    explicit UsedBlocks(const Superblock& sb) : sb_(sb) {}
    // Descriptors may be added as they are found (a pipe with META_BG finds them late).
    void add_group(uint32_t group, const GroupDesc& desc);
    bool known(uint32_t group) const { return group < descs_.size() && known_[group]; }
    const GroupDesc& desc(uint32_t group) const { return descs_[group]; }
    // False for BLOCK_UNINIT groups of a file system with descriptor checksums.
    bool reads_bitmap(uint32_t group) const;
    // One bit per block of the group (bit i = group_first_block + i), LSB first.
    // `on_disk` is the group's block bitmap block; ignored when !reads_bitmap(group).
    std::vector<uint8_t> group_used(uint32_t group, Bytes on_disk) const;

private:
    const Superblock& sb_;
    std::vector<GroupDesc> descs_;
    std::vector<bool> known_;
    // (start block, count) of the metadata of uninit groups, sorted when first needed: 16 bytes
    // each, so even half a million groups stay far below the tool's 64 MiB.
    mutable std::vector<std::pair<uint64_t, uint64_t>> uninit_meta_;
    mutable bool sorted_ = true;
    uint64_t longest_meta_ = 0;
};

inline bool test_bit(const std::vector<uint8_t>& bits, uint64_t i) { return bits[i / 8] >> (i % 8) & 1; }
// The first i in [from, end) whose bit is `value`, or `end`: whole bytes that cannot hold it
// are skipped eight bits at a time (bitmaps are mostly long runs).
uint64_t find_bit(const std::vector<uint8_t>& bits, uint64_t from, uint64_t end, bool value);

// Fails (exit 1) when a file system of `sb` does not fit in `available` bytes.
void check_fits(const Superblock& sb, uint64_t available, const std::string& what);

}  // namespace mtkfw::ext4
