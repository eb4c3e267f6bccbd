// erofs (Enhanced Read-Only File System, Android's system/vendor/product since Android 10 on many
// MediaTek phones): the superblock, on-disk inodes, directory blocks, the map header and logical
// cluster indexes of compressed files, chunk indexes, and the decoding of one physical cluster.
//
// Sources: erofs-utils include/erofs_fs.h (structures, feature bits), lib/namei.c
// (erofs_read_inode_from_disk, erofs_namei: inode and directory rules), lib/data.c
// (__erofs_map_blocks: flat, inline and chunk-based layouts), lib/zmap.c (z_erofs_fill_inode_lazy,
// z_erofs_load_full_lcluster, z_erofs_load_compact_lcluster, z_erofs_map_blocks_fo: compressed
// layouts), lib/decompress.c (z_erofs_decompress: lz4 with 0padding, shifted and interlaced plain
// clusters), all at github.com/erofs/erofs-utils@7db7878 (v1.9.3); Linux
// Documentation/filesystems/erofs.rst.  Images for the tests come from mkfs.erofs 1.5 (Debian 12).
// All integers little-endian.  Facts only: no code is taken from those projects.
//
// Every field the code reads is an offset constant below, on the row that documents it: width,
// expected value, what a reader does on a mismatch.  The superblock checksum (crc32c, COMPAT
// SB_CHKSUM) is not verified: fsck.erofs does that.  ops/erofs_file.h reads these structures out
// of a Region; everything here is bytes in, structs out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace mtkfw::erofs {

constexpr uint64_t kSuperblockOffset = 1024;  // of the file system
constexpr size_t kSuperblockSize = 128;       // read: 128 + sb_extslots * 16 on disk, the rest unused
constexpr uint32_t kMagic = 0xE0F5E1E2;

// Superblock fields (offsets in the superblock).
constexpr size_t kSMagicAt = 0x00;          // u32 0xE0F5E1E2 - else "not an erofs file system"
constexpr size_t kSFeatureCompatAt = 0x08;  // u32 SB_CHKSUM 0x1, MTIME 0x2, XATTR_FILTER 0x4, ...: none
                                            //     changes where data lives - ignored
constexpr size_t kSBlkszBitsAt = 0x0C;      // u8 block size = 1 << this; 9..16 (512 B .. 64 KiB) -
                                            //     reject others
constexpr size_t kSRootNid2At = 0x0E;       // u16 root directory's nid; with 48BIT: blocks_hi (the
                                            //     high 16 bits of the block count) instead
constexpr size_t kSBlocksLoAt = 0x24;       // u32 blocks in the file system (low half): the file
                                            //     system must fit its region, else "truncated"
constexpr size_t kSMetaBlkaddrAt = 0x28;    // u32 block of nid 0: inode `nid` is at
                                            //     meta_blkaddr * block size + nid * 32
constexpr size_t kSVolumeNameAt = 0x40;     // char[16] label, NUL-padded - shown only
constexpr size_t kSVolumeNameSize = 16;
constexpr size_t kSFeatureIncompatAt = 0x50;  // u32 known bits only (kIncompatSupported); METABOX and
                                              //     unknown bits are refused naming the bit
constexpr size_t kSComprAlgsAt = 0x54;      // u16 COMPR_CFGS: bitmap of the algorithms files may use
                                            //     (bit 0 lz4); without it lz4_max_distance (not read)
                                            //     and lz4 is the only algorithm
constexpr size_t kSExtraDevicesAt = 0x56;   // u16 devices besides this one (DEVICE_TABLE): must be 0 -
                                            //     reject ("blobs on other devices")
constexpr size_t kSDirBlkBitsAt = 0x5A;     // u8 directory block size - block size bits: must be 0,
                                            //     as erofs-utils and the kernel require - reject others
constexpr size_t kSRootNid8At = 0x70;       // u64 48BIT only: the root directory's nid

// Feature bits (feature_incompat).  Two names share 0x2, 0x8 and 0x20: a reader treats them alike.
constexpr uint32_t kIncompatLz4ZeroPadding = 0x1;  // lz4 streams end at their cluster's end
constexpr uint32_t kIncompatComprCfgs = 0x2;       // = BIG_PCLUSTER: algorithm configs, big clusters
constexpr uint32_t kIncompatChunkedFile = 0x4;     // CHUNK_BASED inodes
constexpr uint32_t kIncompatDeviceTable = 0x8;     // = COMPR_HEAD2: a second algorithm per file
constexpr uint32_t kIncompatZtailpacking = 0x10;   // a compressed file's tail inside its inode
constexpr uint32_t kIncompatFragments = 0x20;      // = DEDUPE; fragment files are refused one by one
constexpr uint32_t kIncompatXattrPrefixes = 0x40;  // long xattr name prefixes (xattrs are skipped)
constexpr uint32_t kIncompat48bit = 0x80;          // 48-bit block numbers, 64-bit root nid
constexpr uint32_t kIncompatMetabox = 0x100;       // inodes inside a metabox inode - refused
constexpr uint32_t kIncompatSupported = kIncompatLz4ZeroPadding | kIncompatComprCfgs | kIncompatChunkedFile |
                                        kIncompatDeviceTable | kIncompatZtailpacking | kIncompatFragments |
                                        kIncompatXattrPrefixes | kIncompat48bit;

// The superblock as the code uses it.
struct Superblock {
    uint8_t blkszbits = 12;
    uint32_t block_size = 4096;  // 1 << blkszbits
    uint64_t blocks = 0;         // blocks_lo, and with 48BIT blocks_hi << 32
    uint64_t root_nid = 0;
    uint64_t meta_blkaddr = 0;
    uint32_t feature_compat = 0, feature_incompat = 0;
    uint16_t compr_algs = 1;     // algorithms files may use: bit N = algorithm N (kAlgLz4 = 0)
    std::string label;

    // The file system's size: blocks x block size (what a partition must hold of it; the bytes
    // after it in the partition, an AVB hashtree for instance, are not erofs).
    uint64_t bytes() const { return blocks << blkszbits; }
    bool has(uint32_t incompat) const { return feature_incompat & incompat; }
};

// Parses and validates the superblock (kSuperblockSize bytes from kSuperblockOffset).  `what`
// names the file system in errors: "not an erofs file system", "unknown incompatible feature
// 0x200 (mtkfw knows erofs-utils 1.9's)", "metabox ... not supported", a block size or
// directory block size erofs-utils refuses, extra devices.
Superblock parse_superblock(Bytes sb, const std::string& what);

// On-disk inode: 32 bytes (compact) or 64 (extended), at meta_blkaddr * block size + nid * 32.
// Fields both forms share:
constexpr size_t kCompactInodeSize = 32, kExtendedInodeSize = 64;
constexpr size_t kIFormatAt = 0x00;       // u16 bit 0: extended; bits 1-3: data layout (kLayout*,
                                          //     5..7 refused); bit 4: NLINK_1 (non-directories:
                                          //     i_nb is startblk_hi) / DOT_OMITTED (directories);
                                          //     higher bits refused ("unsupported i_format")
constexpr size_t kIXattrCountAt = 0x02;   // u16 0: no inline xattrs; else 12 + 4 * (n - 1) bytes of
                                          //     them follow the inode (skipped)
constexpr size_t kIModeAt = 0x04;         // u16 0x4000 directory, 0x8000 regular file, others not
                                          //     followed
constexpr size_t kINbAt = 0x06;           // u16 nlink, or startblk_hi (extended inodes; compact ones
                                          //     with NLINK_1): high 16 bits of the start block
constexpr size_t kICompactSizeAt = 0x08;  // u32 compact: bytes in the file
constexpr size_t kIExtendedSizeAt = 0x08; // u64 extended: bytes in the file
constexpr size_t kIUAt = 0x10;            // u32 flat layouts: start block (low half; 0xFFFFFFFF with
                                          //     FLAT_PLAIN: a hole, reads as zeros); chunk-based: u16
                                          //     chunk format; compressed: block count (not read)

enum Layout : uint8_t {
    kLayoutFlatPlain = 0,          // blocks from startblk, contiguous
    kLayoutCompressedFull = 1,     // compressed, 8-byte lcluster indexes
    kLayoutFlatInline = 2,         // blocks from startblk, the last partial block after the inode
    kLayoutCompressedCompact = 3,  // compressed, packed 2- or 4-byte lcluster indexes
    kLayoutChunkBased = 4,         // a block address per chunk
};
constexpr uint64_t kNullBlock = UINT64_MAX;  // a hole (FLAT_PLAIN, chunks): reads as zeros

struct Inode {
    uint64_t nid = 0;
    uint64_t pos = 0;          // byte offset of the inode in the file system
    uint8_t layout = 0;        // Layout
    uint16_t mode = 0;
    uint64_t size = 0;
    uint64_t start_block = 0;  // flat layouts; kNullBlock for a hole
    uint16_t chunk_format = 0; // chunk-based
    uint32_t inode_bytes = kCompactInodeSize, xattr_bytes = 0;

    bool is_dir() const { return (mode & 0xF000) == 0x4000; }
    bool is_regular() const { return (mode & 0xF000) == 0x8000; }
    // Where what follows the inode starts: inline data, the map header, chunk indexes.
    uint64_t tail_pos() const { return pos + inode_bytes + xattr_bytes; }
};

// Parses the inode at `pos` from `raw` (its first 32 bytes, or 64 when bit 0 of i_format says
// extended: the caller reads 64 whenever the file system has them).  Failures name "inode NID".
Inode parse_inode(Bytes raw, uint64_t nid, uint64_t pos, const Superblock& sb);
bool is_extended(Bytes raw);  // bit 0 of i_format: the caller must pass 64 bytes

// Directory block: dirents of 12 bytes, then their names (not NUL-terminated, except that the
// last name of a block may be followed by NULs up to the block's end); entries sorted by name.
constexpr size_t kDirentSize = 12;
constexpr size_t kDNidAt = 0x00;      // u64 the entry's inode; bit 63 (metabox) refused
constexpr size_t kDNameOffAt = 0x08;  // u16 where its name starts in the block: the first entry's
                                      //     gives the entry count (nameoff / 12): >= 12, a multiple
                                      //     of 12, < block size; each next one larger, all within
                                      //     the block - else "corrupt directory block"
constexpr size_t kDFileTypeAt = 0x0A; // u8 1 regular, 2 directory, ... (the inode's mode decides)
constexpr size_t kMaxNameLen = 255;   // a longer name - corrupt

struct Dirent {
    uint64_t nid = 0;
    uint8_t file_type = 0;
    std::string name;
};
// The entries of one directory block (`block`: min(block size, bytes left in the directory)).
std::vector<Dirent> parse_dir_block(Bytes block, uint32_t block_size, const std::string& what);

// Compressed inodes: an 8-byte map header at round_up(tail_pos, 8).
constexpr size_t kMapHeaderSize = 8;
constexpr size_t kHIdataSizeAt = 0x02;     // u16 INLINE_PCLUSTER: bytes of the inline tail cluster
constexpr size_t kHAdviseAt = 0x04;        // u16 kAdvise* bits below; EXTENTS (full indexes only) and
                                           //     FRAGMENT_PCLUSTER - refused
constexpr size_t kHAlgorithmAt = 0x06;     // u8 bits 0-3: algorithm of HEAD1 clusters, 4-7: HEAD2's;
                                           //     only lz4 (0) is decoded - others refused by name
constexpr size_t kHClusterBitsAt = 0x07;   // u8 bits 0-3: lcluster bits - block size bits; bit 7: the
                                           //     whole file is a fragment of the packed inode - refused
constexpr uint16_t kAdviseCompacted2B = 0x1;       // compact indexes: 2-byte packs in the middle
constexpr uint16_t kAdviseExtents = 0x1;           // full indexes: extent records instead (1.8+)
constexpr uint16_t kAdviseBigPcluster1 = 0x2;      // HEAD1 clusters may span several blocks
constexpr uint16_t kAdviseBigPcluster2 = 0x4;      // PLAIN/HEAD2 clusters may span several blocks
constexpr uint16_t kAdviseInlinePcluster = 0x8;    // the last cluster is inline (ztailpacking)
constexpr uint16_t kAdviseInterlacedPcluster = 0x10;  // plain clusters are stored rotated
constexpr uint16_t kAdviseFragmentPcluster = 0x20;    // the tail is in the packed inode

enum Algorithm : uint8_t { kAlgLz4 = 0, kAlgLzma = 1, kAlgDeflate = 2, kAlgZstd = 3 };
std::string algorithm_name(unsigned alg);  // "lz4", "lzma", ..., "algorithm 9"

struct MapHeader {
    uint16_t advise = 0, idata_size = 0;
    uint8_t algorithm[2] = {0, 0};  // HEAD1, HEAD2
    uint8_t lcluster_bits = 12;     // block size bits + h_clusterbits & 15
};
MapHeader parse_map_header(Bytes h, uint8_t layout, const Superblock& sb, const std::string& what);

// Logical cluster (lcluster) index types: every lcluster of a compressed file has one.  A HEAD or
// PLAIN lcluster starts a physical cluster (pcluster) at clusterofs inside it: the file's bytes
// from there to the next head come from that pcluster (decoded), whose first block is blkaddr.
// NONHEAD lclusters lie inside an extent; the first NONHEAD after a head carries the pcluster's
// block count (CBLKCNT) when the file has big pclusters, else a pcluster is one block.
enum LclusterType : uint8_t { kPlain = 0, kHead1 = 1, kNonHead = 2, kHead2 = 3 };
constexpr uint16_t kD0Cblkcnt = 0x800;  // in delta[0] / a compact NONHEAD's value: a block count

struct Lcluster {
    uint8_t type = kPlain;
    uint16_t clusterofs = 0;     // heads: where the pcluster's data starts in this lcluster
    uint64_t blkaddr = 0;        // heads: first block of the pcluster
    uint32_t cblkcnt = 0;        // NONHEAD with kD0Cblkcnt: the pcluster's blocks; else 0
    bool partial_ref = false;    // full heads: the pcluster decodes to more than this extent
};

// Full indexes: 8 bytes per lcluster from round_up(tail_pos, 8) + 16 (map header, 8 reserved).
constexpr size_t kFullIndexSize = 8;
constexpr size_t kFiAdviseAt = 0x00;      // u16 bits 0-1 type; bit 15 PARTIAL_REF (heads)
constexpr size_t kFiClusterOfsAt = 0x02;  // u16 heads: < lcluster size - else corrupt
constexpr size_t kFiBlkaddrAt = 0x04;     // u32 heads: the pcluster's block; NONHEAD: u16 delta[0]
                                          //     (kD0Cblkcnt: block count), u16 delta[1] (not read)
Lcluster parse_full_index(Bytes e, unsigned lcluster_bits, const std::string& what);

// Compact indexes, from round_up(tail_pos, 8) + 8: packs of `vcnt` values of `encodebits` bits,
// then a u32 base block.  The first packs are 4-byte (2 values of 16 bits in 8 bytes) up to the
// first 32-byte boundary; with COMPACTED_2B the middle ones 2-byte (16 values of 14 bits in 32
// bytes), a multiple of 16 lclusters; the rest 4-byte.  A value: lo (lobits = max(lcluster bits,
// 12)) then 2 type bits; lo is clusterofs for heads, delta[0] or CBLKCNT for NONHEAD (the last
// value of a pack holds delta[1]).  A head's block = base + (big pclusters: the blocks of the
// pclusters before it in the pack; else 1 + the heads before it in the pack).
struct CompactPosition {
    uint64_t pack = 0;      // byte offset of the pack in the file system
    unsigned pack_bytes = 8, vcnt = 2, index = 0;  // the lcluster's value in its pack
};
// lcn's pack; `total` = ceil(size / block size) lclusters as the readers count them.  A cluster
// too large for the pack kind (> 14 bits; > 12 for 2-byte packs) is refused.
CompactPosition compact_position(uint64_t index_base, uint64_t lcn, uint64_t total, bool compacted_2b,
                                 unsigned lcluster_bits, const std::string& what);
Lcluster parse_compact_index(Bytes pack, const CompactPosition& at, unsigned lcluster_bits, bool big_pcluster,
                             const std::string& what);

// Chunk-based inodes: i_u's u16 format: bits 0-4 chunk bits - block size bits, 0x20 INDEXES
// (8-byte entries: u16 startblk_hi, u16 device_id, u32 startblk_lo; 0x40: startblk_hi counts),
// else a u32 block per chunk; at round_up(tail_pos, entry size).  Block 0xFFFFFFFF (masked): a hole.
constexpr uint16_t kChunkBitsMask = 0x1F, kChunkIndexes = 0x20, kChunk48bit = 0x40;
constexpr size_t kCiStartHiAt = 0x00, kCiDeviceAt = 0x02, kCiStartLoAt = 0x04;

// Decodes one pcluster `raw` into `out` (`n` bytes, the extent's bytes from its start).  lz4: the
// leading zeros skipped (0padding puts the stream at the cluster's end), then a partial decode
// that must give all `n` bytes; plain: shifted (the bytes as stored) or, with `interlaced`, rotated
// by `la` mod block size.  Failures name `what` and say "corrupt lz4 stream".
void decode_pcluster(Bytes raw, bool plain, bool interlaced, uint64_t la, uint32_t block_size, uint8_t* out,
                     size_t n, const std::string& what);

}  // namespace mtkfw::erofs
