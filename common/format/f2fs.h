// f2fs metadata: the superblock, the checkpoint pack, SIT entries and the SIT journal: what the
// sparse encoder needs to tell valid blocks from invalid ones (ops/f2fs_map.h).
//
// Sources: the kernel's include/linux/f2fs_fs.h (on-disk structures) and fs/f2fs/f2fs.h
// (feature bits), fs/f2fs/super.c sanity_check_raw_super / sanity_check_area_boundary (geometry
// rules), fs/f2fs/checkpoint.c validate_checkpoint / get_checkpoint_version (which pack is valid),
// fs/f2fs/segment.c read_compacted_summaries / read_normal_summaries / check_block_count (the SIT
// journal, SIT entry rules), fs/f2fs/segment.h current_sit_addr and f2fs.h __bitmap_ptr (which
// SIT copy is current); f2fs-tools include/f2fs_fs.h and lib/libf2fs.c f2fs_cal_crc32 (the CRC).
// All integers little-endian; blocks are 4096 bytes (the only size mkfs.f2fs makes for 4 KiB pages).
//
// Every field the code reads is an offset constant below, on the row that documents it: width,
// expected value, what a reader does on a mismatch.  A mismatch is a Failure(invalid_input) with
// Remedy::copy_every_block (the tool then suggests --all-blocks): a wrong guess here would drop
// valid blocks.  Everything here is bytes in, structs out.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/failure.h"

namespace mtkfw::f2fs {

constexpr uint32_t kBlockSize = 4096;
constexpr uint64_t kSuperblockOffset = 1024;  // in block 0 (primary) and block 1 (backup)
constexpr size_t kSuperblockSize = 3072;      // sizeof(struct f2fs_super_block)
constexpr uint32_t kMagic = 0xF2F52010;       // F2FS_SUPER_MAGIC, also every CRC's seed

// Superblock fields (offsets in the superblock).
constexpr size_t kSMagicAt = 0x00;              // u32 kMagic - else "not an f2fs file system"
constexpr size_t kSLogSectorSizeAt = 0x08;      // u32 9..12 - reject others
constexpr size_t kSLogSectorsPerBlockAt = 0x0C;  // u32 12 - log_sectorsize - reject others
constexpr size_t kSLogBlockSizeAt = 0x10;       // u32 12 (4 KiB) - reject others (16 KiB blocks: not read)
constexpr size_t kSLogBlocksPerSegAt = 0x14;    // u32 9 (512 blocks, a 64-byte SIT map) - reject others
constexpr size_t kSSegsPerSecAt = 0x18;         // u32 1..segment_count - reject others
constexpr size_t kSSecsPerZoneAt = 0x1C;        // u32 >= 1 - reject 0
constexpr size_t kSChecksumOffsetAt = 0x20;     // u32 sb_checksum only: kSCrcAt - reject others
constexpr size_t kSBlockCountAt = 0x24;         // u64 the file system's blocks: must fit the range
                                                //     ("past the end of the input")
constexpr size_t kSSectionCountAt = 0x2C;       // u32 segment_count_main / segs_per_sec - reject others
constexpr size_t kSSegmentCountAt = 0x30;       // u32 9..F2FS_MAX_SEGMENT, <= block_count / 512
                                                //     ("past the device") - reject others
constexpr size_t kSSegmentCountCkptAt = 0x34;   // u32 2 (two checkpoint packs) - reject others
constexpr size_t kSSegmentCountSitAt = 0x38;    // u32 even (two copies), holding an entry per main
                                                //     segment - reject others
constexpr size_t kSSegmentCountNatAt = 0x3C;    // u32 area boundary only (below)
constexpr size_t kSSegmentCountSsaAt = 0x40;    // u32 area boundary only (below)
constexpr size_t kSSegmentCountMainAt = 0x44;   // u32 >= 1; its end within segment_count - reject others
constexpr size_t kSSegment0BlkaddrAt = 0x48;    // u32 == cp_blkaddr - reject others
constexpr size_t kSCpBlkaddrAt = 0x4C;          // u32 each area starts where the one before ends:
constexpr size_t kSSitBlkaddrAt = 0x50;         // u32   cp + ckpt segments = sit, sit + sit segments
constexpr size_t kSNatBlkaddrAt = 0x54;         // u32   = nat, nat + nat segments = ssa, ssa + ssa
constexpr size_t kSSsaBlkaddrAt = 0x58;         // u32   segments = main (sanity_check_area_boundary)
constexpr size_t kSMainBlkaddrAt = 0x5C;        // u32   - any gap or overlap rejected
constexpr size_t kSVolumeNameAt = 0x7C;         // u16[512] UTF-16LE label, NUL-ended - shown only (ASCII kept)
constexpr size_t kSVolumeNameChars = 512;
constexpr size_t kSCpPayloadAt = 0x680;         // u32 extra SIT-bitmap blocks after each pack's first
                                                //     block: < 512 - 2 - 6 - reject more
constexpr size_t kSFeatureAt = 0x884;           // u32 feature bits: kFeatureRead only, else refused
                                                //     naming the feature
constexpr size_t kSDevicesAt = 0x899;           // 8 x (char path[64], u32 segments): path[0] of the
                                                //     first must be 0 (one device) - refuse multi-device
constexpr size_t kSCrcAt = 0xBFC;               // u32 sb_checksum only: f2fs_crc32(kMagic, first
                                                //     checksum_offset bytes) - mismatch: this copy is bad

// Feature bits (kernel fs/f2fs/f2fs.h F2FS_FEATURE_*).
constexpr uint32_t kFeatureEncrypt = 0x1, kFeatureBlkzoned = 0x2, kFeatureAtomicWrite = 0x4,
                   kFeatureExtraAttr = 0x8, kFeaturePrjquota = 0x10, kFeatureInodeChksum = 0x20,
                   kFeatureFlexibleInlineXattr = 0x40, kFeatureQuotaIno = 0x80, kFeatureInodeCrtime = 0x100,
                   kFeatureLostFound = 0x200, kFeatureVerity = 0x400, kFeatureSbChksum = 0x800,
                   kFeatureCasefold = 0x1000, kFeatureCompression = 0x2000, kFeatureRo = 0x4000,
                   kFeatureDeviceAlias = 0x8000, kFeaturePackedSsa = 0x10000;
// Features that change neither the metadata areas nor what a SIT bit means (Android's set: all
// of them are about inodes, names and file contents).  Refused: blkzoned (zones, devices other
// than this one), ro (a single-checkpoint read-only layout), device_alias and packed_ssa (new
// layouts not checked here), and any bit not named above.
constexpr uint32_t kFeatureRead = kFeatureEncrypt | kFeatureAtomicWrite | kFeatureExtraAttr | kFeaturePrjquota |
                                  kFeatureInodeChksum | kFeatureFlexibleInlineXattr | kFeatureQuotaIno |
                                  kFeatureInodeCrtime | kFeatureLostFound | kFeatureVerity | kFeatureSbChksum |
                                  kFeatureCasefold | kFeatureCompression;

constexpr uint32_t kLogBlocksPerSeg = 9;
constexpr uint32_t kBlocksPerSeg = 1u << kLogBlocksPerSeg;
constexpr uint32_t kMaxSegments = 16u * 1024 * 1024 / 2;  // F2FS_MAX_SEGMENT (16 TB of 4 KiB blocks)
constexpr uint32_t kMinSegments = 9;                       // F2FS_MIN_SEGMENTS

// Checkpoint block fields (the first and the last block of a pack; offsets in the block).
constexpr size_t kCpVersionAt = 0x00;        // u64 checkpoint_ver: the same in both blocks of a
                                             //     pack, else the pack is invalid
constexpr size_t kCpCurNodeSegnoAt = 0x24;   // u32[8] current node segments (hot, warm, cold; the
                                             //     rest unused): < segment_count_main - else invalid pack
constexpr size_t kCpCurNodeBlkoffAt = 0x44;  // u16[8] next free block in each: <= 512 - else invalid
constexpr size_t kCpCurDataSegnoAt = 0x54;   // u32[8] current data segments, as above
constexpr size_t kCpCurDataBlkoffAt = 0x74;  // u16[8] as above
constexpr size_t kCpFlagsAt = 0x84;          // u32 CP_* flags: COMPACT_SUM says where the SIT journal
                                             //     is; LARGE_NAT_BITMAP where the SIT bitmap is;
                                             //     UMOUNT unset is a warning (fsync'd data since the
                                             //     checkpoint is not in the SIT)
constexpr size_t kCpPackTotalAt = 0x88;      // u32 cp_pack_total_block_count: 2..512 - else invalid
constexpr size_t kCpPackStartSumAt = 0x8C;   // u32 block of the pack where the data summaries start:
                                             //     1..total-1 - else invalid
constexpr size_t kCpSitBitmapSizeAt = 0x9C;  // u32 sit_ver_bitmap_bytesize: one bit per SIT block
                                             //     of one copy (segment_count_sit / 2 * 512 / 8) -
                                             //     else invalid
constexpr size_t kCpNatBitmapSizeAt = 0xA0;  // u32 nat_ver_bitmap_bytesize: where the SIT bitmap
                                             //     starts with LARGE_NAT_BITMAP
constexpr size_t kCpChecksumOffsetAt = 0xA4;  // u32 0xC0..4092: f2fs_crc32(kMagic, bytes before it)
                                              //     stored there - else invalid
constexpr size_t kCpBitmapsAt = 0xC0;        // sit_nat_version_bitmap: SIT bitmap then NAT bitmap
                                             //     (no payload), or the payload blocks (cp_payload),
                                             //     or after a u32 and the NAT bitmap (LARGE_NAT_BITMAP)
constexpr uint32_t kCpUmountFlag = 0x1, kCpCompactSumFlag = 0x4, kCpLargeNatBitmapFlag = 0x400;
constexpr size_t kCpChecksumMax = kBlockSize - 4;
constexpr int kCursegs = 3;  // hot, warm, cold of each kind (NR_CURSEG_NODE/DATA_TYPE)

// SIT entries: 55 of 74 bytes in a SIT block; segment s is entry s % 55 of SIT block s / 55.
constexpr size_t kSitEntrySize = 74;
constexpr size_t kSitEntriesPerBlock = kBlockSize / kSitEntrySize;
constexpr size_t kSitVblocksAt = 0;   // u16 low 10 bits: valid blocks = popcount(map) - else error;
                                      //     high 6 bits: segment type < 6 - else error
constexpr size_t kSitMapAt = 2;       // u8[64] one bit per block, most significant bit first
constexpr size_t kSitMapSize = 64;
// The SIT journal (struct f2fs_journal) of the summaries: u16 count (<= 6 - else invalid), then
// 6 x (u32 segno (< segment_count_main - else error), SIT entry).  Compacted summaries: in the
// pack's block cp_pack_start_sum at byte 507 (after the NAT journal); normal ones: in the cold
// data summary (block cp_pack_start_sum + 2) at byte 3584 (after 512 x 7-byte entries).
constexpr size_t kJournalSize = 507;  // SUM_JOURNAL_SIZE
constexpr size_t kSitJournalEntries = 6, kSitJournalEntrySize = 4 + kSitEntrySize;
constexpr size_t kSumEntriesSize = 512 * 7;

// f2fs_crc32: the reflected CRC-32 (polynomial 0xEDB88320) started from `seed`, no final
// inversion (f2fs-tools f2fs_cal_crc32).
uint32_t crc32(uint32_t seed, Bytes b);

struct Superblock {
    uint32_t segs_per_sec = 0, section_count = 0, segment_count = 0;
    uint32_t segment_count_sit = 0, segment_count_main = 0;
    uint32_t segment0_blkaddr = 0, cp_blkaddr = 0, sit_blkaddr = 0, main_blkaddr = 0;
    uint32_t cp_payload = 0, feature = 0;
    uint64_t block_count = 0;
    std::string label;

    uint32_t sit_blocks() const { return segment_count_sit / 2 * kBlocksPerSeg; }  // of one copy
    uint64_t main_end() const { return main_blkaddr + static_cast<uint64_t>(segment_count_main) * kBlocksPerSeg; }
};

// True when the first two blocks `first_blocks` (8192 bytes, fewer when short) have the f2fs magic
// at byte 1024, or at byte 4096 + 1024 (the backup) without the ext2/3/4 magic at byte 1080.
bool has_f2fs_magic(Bytes first_blocks);
// Parses and checks one superblock copy (kSuperblockSize bytes or more).  `what` names it.
Superblock parse_superblock(Bytes sb, const std::string& what);
// The first two blocks (8192 bytes, fewer when truncated): the primary copy, else the backup (a
// warning Notice says so), else the primary's error.
Superblock pick_superblock(Bytes first_blocks, const std::string& what, Notices& notices);
// Fails when a file system of `sb` does not fit in `available` bytes.
void check_fits(const Superblock& sb, uint64_t available, const std::string& what);

struct SitEntry {
    uint16_t valid = 0;  // valid blocks of the segment
    std::array<uint8_t, kSitMapSize> map{};
};
// One 74-byte SIT entry of segment `segno` (for messages), its count checked against its map.
SitEntry parse_sit_entry(Bytes entry, uint32_t segno, const std::string& what);
inline bool map_bit(const std::array<uint8_t, kSitMapSize>& map, uint32_t block) {
    return map[block / 8] >> (7 - block % 8) & 1;
}

struct Checkpoint {
    uint64_t version = 0;
    uint32_t flags = 0;
    uint32_t pack = 0;  // 0 or 1: which pack
    std::array<uint32_t, 2 * kCursegs> cursegs{};  // node hot/warm/cold, data hot/warm/cold
    std::vector<uint8_t> sit_bitmap;               // bit i (MSB first) set: SIT block i is in copy 2
    std::vector<std::pair<uint32_t, SitEntry>> journal;  // newer than the SIT blocks
    bool sit_in_second_copy(uint32_t sit_block) const {
        return sit_block / 8 < sit_bitmap.size() && (sit_bitmap[sit_block / 8] >> (7 - sit_block % 8) & 1);
    }
};
// The valid checkpoint of the two packs (each `pack` holds one segment: 512 blocks, fewer when
// truncated) with the higher version; Failure when neither is valid, saying why each is not.
Checkpoint pick_checkpoint(Bytes pack1, Bytes pack2, const Superblock& sb, const std::string& what);

}  // namespace mtkfw::f2fs
