#include "format/f2fs.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstdio>

namespace mtkfw::f2fs {
namespace {

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

[[noreturn]] void refuse(const std::string& what, const std::string& why) {
    fail_input(what, why, Remedy::copy_every_block);
}

struct Named {
    uint32_t bit;
    const char* name;
};
// mkfs.f2fs -O names (f2fs-tools lib/libf2fs.c feature_table).
constexpr Named kFeatureNames[] = {
    {kFeatureEncrypt, "encrypt"},         {kFeatureBlkzoned, "blkzoned"},
    {kFeatureAtomicWrite, "atomic_write"}, {kFeatureExtraAttr, "extra_attr"},
    {kFeaturePrjquota, "project_quota"},  {kFeatureInodeChksum, "inode_checksum"},
    {kFeatureFlexibleInlineXattr, "flexible_inline_xattr"}, {kFeatureQuotaIno, "quota"},
    {kFeatureInodeCrtime, "inode_crtime"}, {kFeatureLostFound, "lost_found"},
    {kFeatureVerity, "verity"},           {kFeatureSbChksum, "sb_checksum"},
    {kFeatureCasefold, "casefold"},       {kFeatureCompression, "compression"},
    {kFeatureRo, "ro"},                   {kFeatureDeviceAlias, "device_alias"},
    {kFeaturePackedSsa, "packed_ssa"},
};

void check_features(uint32_t feature, const std::string& what) {
    const uint32_t refused = feature & ~kFeatureRead;
    if (!refused) return;
    const uint32_t bit = refused & -refused;  // the lowest: one named at a time
    for (const Named& n : kFeatureNames) {
        if (n.bit == bit) refuse(what, "f2fs feature '" + std::string(n.name) + "' is not supported: cannot tell which blocks are valid");
    }
    refuse(what, "unknown f2fs feature bit " + hex(bit) + " (features " + hex(feature) + "): cannot tell which blocks are valid");
}

// The label: UTF-16LE up to the first NUL, non-ASCII characters as '?'.
std::string label_of(Bytes b) {
    std::string s;
    for (size_t i = 0; i < kSVolumeNameChars; ++i) {
        const uint16_t c = le16(b, kSVolumeNameAt + 2 * i);
        if (c == 0) break;
        s += c < 0x80 && c >= 0x20 ? static_cast<char>(c) : '?';
    }
    return s;
}

// sanity_check_area_boundary: each area where the one before it ends, main inside segment_count.
void check_areas(Bytes b, const Superblock& sb, const std::string& what) {
    struct Area {
        const char* name;
        size_t at, segments_at;
    };
    constexpr Area kAreas[] = {{"cp_blkaddr", kSCpBlkaddrAt, kSSegmentCountCkptAt},
                               {"sit_blkaddr", kSSitBlkaddrAt, kSSegmentCountSitAt},
                               {"nat_blkaddr", kSNatBlkaddrAt, kSSegmentCountNatAt},
                               {"ssa_blkaddr", kSSsaBlkaddrAt, kSSegmentCountSsaAt}};
    uint64_t expect = sb.segment0_blkaddr;
    for (const Area& a : kAreas) {
        if (le32(b, a.at) != expect) {
            refuse(what, "corrupt superblock: " + std::string(a.name) + " " + std::to_string(le32(b, a.at)) +
                             ", the area before it ends at block " + std::to_string(expect));
        }
        expect += static_cast<uint64_t>(le32(b, a.segments_at)) << kLogBlocksPerSeg;
    }
    if (sb.main_blkaddr != expect) {
        refuse(what, "corrupt superblock: main_blkaddr " + std::to_string(sb.main_blkaddr) +
                         ", the SSA ends at block " + std::to_string(expect));
    }
    const uint64_t seg_end = sb.segment0_blkaddr + (static_cast<uint64_t>(sb.segment_count) << kLogBlocksPerSeg);
    if (sb.main_end() > seg_end) {
        refuse(what, "corrupt superblock: the main area ends at block " + std::to_string(sb.main_end()) +
                         ", past the " + std::to_string(sb.segment_count) + " segments from segment0_blkaddr");
    }
}

void check_geometry(Bytes b, const Superblock& sb, const std::string& what) {
    const uint32_t log_sector = le32(b, kSLogSectorSizeAt);
    if (log_sector < 9 || log_sector > 12 || le32(b, kSLogSectorsPerBlockAt) != 12 - log_sector) {
        refuse(what, "corrupt superblock: sector size 2^" + std::to_string(log_sector) + ", 2^" +
                         std::to_string(le32(b, kSLogSectorsPerBlockAt)) + " per block");
    }
    if (le32(b, kSLogBlockSizeAt) != 12) {
        refuse(what, "f2fs block size 2^" + std::to_string(le32(b, kSLogBlockSizeAt)) + " is not supported (only 4096)");
    }
    if (le32(b, kSLogBlocksPerSegAt) != kLogBlocksPerSeg) {
        refuse(what, "corrupt superblock: 2^" + std::to_string(le32(b, kSLogBlocksPerSegAt)) + " blocks per segment (not 512)");
    }
    if (sb.segment_count < kMinSegments || sb.segment_count > kMaxSegments) {
        refuse(what, "corrupt superblock: segment_count " + std::to_string(sb.segment_count));
    }
    if (sb.segment_count > sb.block_count >> kLogBlocksPerSeg) {
        refuse(what, "corrupt superblock: segment_count " + std::to_string(sb.segment_count) +
                         " is past the device: block_count " + std::to_string(sb.block_count) + " holds " +
                         std::to_string(sb.block_count >> kLogBlocksPerSeg) + " segments");
    }
    if (sb.segs_per_sec == 0 || sb.segs_per_sec > sb.segment_count || le32(b, kSSecsPerZoneAt) == 0) {
        refuse(what, "corrupt superblock: " + std::to_string(sb.segs_per_sec) + " segments per section, " +
                         std::to_string(le32(b, kSSecsPerZoneAt)) + " sections per zone");
    }
    if (sb.segment_count_main == 0 ||
        static_cast<uint64_t>(sb.section_count) * sb.segs_per_sec != sb.segment_count_main) {
        refuse(what, "corrupt superblock: segment_count_main " + std::to_string(sb.segment_count_main) + " is not " +
                         std::to_string(sb.section_count) + " sections of " + std::to_string(sb.segs_per_sec) + " segments");
    }
    if (le32(b, kSSegmentCountCkptAt) != 2) {
        refuse(what, "corrupt superblock: segment_count_ckpt " + std::to_string(le32(b, kSSegmentCountCkptAt)) + " (not 2)");
    }
    if (sb.segment_count_sit == 0 || sb.segment_count_sit % 2 ||
        static_cast<uint64_t>(sb.sit_blocks()) * kSitEntriesPerBlock < sb.segment_count_main) {
        refuse(what, "corrupt superblock: segment_count_sit " + std::to_string(sb.segment_count_sit) + " for " +
                         std::to_string(sb.segment_count_main) + " main segments");
    }
    if (sb.segment0_blkaddr != sb.cp_blkaddr) {
        refuse(what, "corrupt superblock: segment0_blkaddr " + std::to_string(sb.segment0_blkaddr) +
                         " is not cp_blkaddr " + std::to_string(sb.cp_blkaddr));
    }
    check_areas(b, sb, what);
    if (sb.main_end() > sb.block_count) {
        refuse(what, "corrupt superblock: the main area ends at block " + std::to_string(sb.main_end()) +
                         ", past block_count " + std::to_string(sb.block_count));
    }
    if (sb.cp_payload >= kBlocksPerSeg - 2 - 6) {
        refuse(what, "corrupt superblock: cp_payload " + std::to_string(sb.cp_payload));
    }
    if (b[kSDevicesAt] != 0) refuse(what, "a multi-device f2fs (devs[0] is named) is not supported");
}

}  // namespace

uint32_t crc32(uint32_t seed, Bytes b) {
    // zlib's crc32 inverts before and after; f2fs does neither.
    uLong crc = ~seed & 0xFFFFFFFFu;
    for (size_t at = 0; at < b.size();) {
        const uInt n = static_cast<uInt>(std::min<size_t>(b.size() - at, 1u << 30));
        crc = ::crc32(crc, b.data() + at, n);
        at += n;
    }
    return static_cast<uint32_t>(~crc);
}

bool has_f2fs_magic(Bytes b) {
    auto magic_at = [&](uint64_t at) { return b.size() >= at + 4 && le32(b, at) == kMagic; };
    if (magic_at(kSuperblockOffset)) return true;
    // The primary damaged: the backup's magic, unless the range is ext2/3/4 (its magic 0xEF53 at 1080).
    const bool ext = b.size() >= 1082 && le16(b, 1080) == 0xEF53;
    return !ext && magic_at(kBlockSize + kSuperblockOffset);
}

Superblock parse_superblock(Bytes b, const std::string& what) {
    if (b.size() < kSuperblockSize) fail_input(what, "not an f2fs file system: too short for a superblock");
    if (le32(b, kSMagicAt) != kMagic) fail_input(what, "not an f2fs file system: no magic 0xf2f52010 at byte 1024");
    Superblock sb;
    sb.feature = le32(b, kSFeatureAt);
    if (sb.feature & kFeatureSbChksum) {
        const uint32_t at = le32(b, kSChecksumOffsetAt);
        if (at != kSCrcAt) refuse(what, "corrupt superblock: checksum_offset " + std::to_string(at));
        const uint32_t want = le32(b, at), got = crc32(kMagic, b.first(at));
        if (want != got) refuse(what, "superblock checksum " + hex(want) + " does not match its bytes (" + hex(got) + ")");
    }
    check_features(sb.feature, what);
    sb.segs_per_sec = le32(b, kSSegsPerSecAt);
    sb.section_count = le32(b, kSSectionCountAt);
    sb.segment_count = le32(b, kSSegmentCountAt);
    sb.segment_count_sit = le32(b, kSSegmentCountSitAt);
    sb.segment_count_main = le32(b, kSSegmentCountMainAt);
    sb.segment0_blkaddr = le32(b, kSSegment0BlkaddrAt);
    sb.cp_blkaddr = le32(b, kSCpBlkaddrAt);
    sb.sit_blkaddr = le32(b, kSSitBlkaddrAt);
    sb.main_blkaddr = le32(b, kSMainBlkaddrAt);
    sb.cp_payload = le32(b, kSCpPayloadAt);
    sb.block_count = le64(b, kSBlockCountAt);
    sb.label = label_of(b);
    check_geometry(b, sb, what);
    return sb;
}

Superblock pick_superblock(Bytes first, const std::string& what, Notices& notices) {
    auto copy = [&](uint64_t block) {
        const uint64_t at = block * kBlockSize + kSuperblockOffset;
        return first.size() >= at ? first.subspan(at, std::min<size_t>(first.size() - at, kSuperblockSize)) : Bytes();
    };
    try {
        return parse_superblock(copy(0), what);
    } catch (const Failure& primary) {
        try {
            Superblock sb = parse_superblock(copy(1), what + ": backup superblock");
            notices.push_back({Notice::Level::warning, std::string(primary.what()) + "; the backup superblock (block 1) is used"});
            return sb;
        } catch (const Failure&) {
            throw primary;
        }
    }
}

void check_fits(const Superblock& sb, uint64_t available, const std::string& what) {
    if (sb.block_count > available / kBlockSize) {
        fail_input(what, "block_count past the end of the input: the f2fs has " + std::to_string(sb.block_count) +
                             " blocks of 4096 bytes but the input holds " + std::to_string(available) +
                             " bytes (truncated dump?)",
                   Remedy::copy_every_block);
    }
}

SitEntry parse_sit_entry(Bytes e, uint32_t segno, const std::string& what) {
    SitEntry s;
    const uint16_t vblocks = le16(e, kSitVblocksAt);
    s.valid = vblocks & 0x3FF;
    std::copy_n(e.begin() + kSitMapAt, kSitMapSize, s.map.begin());
    int bits = 0;
    for (const uint8_t byte : s.map) bits += std::popcount(byte);
    if (s.valid != bits) {
        refuse(what, "SIT entry of main segment " + std::to_string(segno) + " counts " + std::to_string(s.valid) +
                         " valid blocks, its bitmap holds " + std::to_string(bits));
    }
    if ((vblocks >> 10) >= 2 * kCursegs) {
        refuse(what, "SIT entry of main segment " + std::to_string(segno) + ": segment type " + std::to_string(vblocks >> 10));
    }
    return s;
}

namespace {

// A checkpoint block's CRC (f2fs_checkpoint_chksum): the bytes before checksum_offset, and with
// a smaller offset (LARGE_NAT_BITMAP) the bytes after the stored CRC too.  Empty string: valid.
std::string cp_block_error(Bytes block) {
    if (block.size() < kBlockSize) return "truncated";
    const uint32_t at = le32(block, kCpChecksumOffsetAt);
    if (at < kCpBitmapsAt || at > kCpChecksumMax) return "checksum_offset " + std::to_string(at);
    uint32_t crc = crc32(kMagic, block.first(at));
    if (at < kCpChecksumMax) crc = crc32(crc, block.subspan(at + 4));
    if (crc != le32(block, at)) return "checksum " + hex(le32(block, at)) + " does not match its bytes (" + hex(crc) + ")";
    return {};
}

// Why pack `p` is not valid (validate_checkpoint), or empty.
std::string pack_error(Bytes p) {
    if (std::string e = cp_block_error(p.first(std::min<size_t>(p.size(), kBlockSize))); !e.empty()) return "first block: " + e;
    const uint32_t total = le32(p, kCpPackTotalAt);
    if (total < 2 || total > kBlocksPerSeg) return "cp_pack_total_block_count " + std::to_string(total);
    if (p.size() < static_cast<size_t>(total) * kBlockSize) return "truncated";
    const Bytes last = p.subspan(static_cast<size_t>(total - 1) * kBlockSize, kBlockSize);
    if (std::string e = cp_block_error(last); !e.empty()) return "last block: " + e;
    if (le64(last, kCpVersionAt) != le64(p, kCpVersionAt)) {
        return "versions " + std::to_string(le64(p, kCpVersionAt)) + " and " + std::to_string(le64(last, kCpVersionAt)) +
               " of its first and last blocks differ";
    }
    return {};
}

// The SIT journal entries in `j` (kJournalSize bytes).
void read_journal(Bytes j, const Superblock& sb, Checkpoint& cp, const std::string& what) {
    const uint16_t n = le16(j, 0);
    if (n > kSitJournalEntries) refuse(what, "checkpoint: SIT journal of " + std::to_string(n) + " entries (at most 6)");
    for (size_t i = 0; i < n; ++i) {
        const Bytes e = j.subspan(2 + i * kSitJournalEntrySize, kSitJournalEntrySize);
        const uint32_t segno = le32(e, 0);
        if (segno >= sb.segment_count_main) {
            refuse(what, "checkpoint: SIT journal entry for segment " + std::to_string(segno) + ", past the " +
                             std::to_string(sb.segment_count_main) + " main segments");
        }
        cp.journal.emplace_back(segno, parse_sit_entry(e.subspan(4), segno, what + ": SIT journal"));
    }
}

// The chosen pack's fields (sanity_check_ckpt): current segments, bitmap and summaries.
Checkpoint read_pack(Bytes p, uint32_t index, const Superblock& sb, const std::string& what) {
    Checkpoint cp;
    cp.pack = index;
    cp.version = le64(p, kCpVersionAt);
    cp.flags = le32(p, kCpFlagsAt);
    const std::string where = what + ": checkpoint pack " + std::to_string(index + 1);
    for (int i = 0; i < 2 * kCursegs; ++i) {
        const bool node = i < kCursegs;
        const int k = node ? i : i - kCursegs;
        cp.cursegs[i] = le32(p, (node ? kCpCurNodeSegnoAt : kCpCurDataSegnoAt) + 4 * k);
        const uint16_t off = le16(p, (node ? kCpCurNodeBlkoffAt : kCpCurDataBlkoffAt) + 2 * k);
        if (cp.cursegs[i] >= sb.segment_count_main || off > kBlocksPerSeg) {
            refuse(where, std::string("current ") + (node ? "node" : "data") + " segment " + std::to_string(k) + ": segment " +
                              std::to_string(cp.cursegs[i]) + " block " + std::to_string(off) + ", past the main area");
        }
    }
    const uint32_t total = le32(p, kCpPackTotalAt), start_sum = le32(p, kCpPackStartSumAt);
    const uint32_t sit_bytes = le32(p, kCpSitBitmapSizeAt), nat_bytes = le32(p, kCpNatBitmapSizeAt);
    if (sit_bytes != sb.sit_blocks() / 8) {
        refuse(where, "sit_ver_bitmap_bytesize " + std::to_string(sit_bytes) + ", the SIT has " +
                          std::to_string(sb.sit_blocks()) + " blocks");
    }
    // __bitmap_ptr: where the SIT version bitmap lives.
    uint64_t at = kCpBitmapsAt, end = le32(p, kCpChecksumOffsetAt);
    if (cp.flags & kCpLargeNatBitmapFlag) {
        at = kCpBitmapsAt + 4 + static_cast<uint64_t>(nat_bytes);
        end = kBlockSize;
    } else if (sb.cp_payload > 0) {
        at = kBlockSize;
        end = kBlockSize * (1ull + sb.cp_payload);
    }
    if (at + sit_bytes > end || end > static_cast<uint64_t>(total) * kBlockSize) {
        refuse(where, "the SIT version bitmap (" + std::to_string(sit_bytes) + " bytes at byte " + std::to_string(at) +
                          ") does not fit in the pack");
    }
    cp.sit_bitmap.assign(p.begin() + at, p.begin() + at + sit_bytes);
    // The SIT journal (read_compacted_summaries / read_normal_summaries, cold data).
    const bool node_sums = cp.flags & (kCpUmountFlag | 0x20 /* CP_FASTBOOT_FLAG */);
    const bool compact = cp.flags & kCpCompactSumFlag;
    const uint64_t block = compact ? start_sum : static_cast<uint64_t>(total) - ((node_sums ? 6 : 3) + 1) + 2;
    if (start_sum < 1 + sb.cp_payload || start_sum >= total || block < start_sum || block + 1 >= total) {
        refuse(where, "cp_pack_start_sum " + std::to_string(start_sum) + " in a pack of " + std::to_string(total) + " blocks");
    }
    const Bytes sum = p.subspan(block * kBlockSize, kBlockSize);
    read_journal(sum.subspan(compact ? kJournalSize : kSumEntriesSize, kJournalSize), sb, cp, where);
    return cp;
}

}  // namespace

Checkpoint pick_checkpoint(Bytes pack1, Bytes pack2, const Superblock& sb, const std::string& what) {
    const std::string e1 = pack_error(pack1), e2 = pack_error(pack2);
    if (!e1.empty() && !e2.empty()) {
        refuse(what, "no valid checkpoint: pack 1 (block " + std::to_string(sb.cp_blkaddr) + "): " + e1 + "; pack 2 (block " +
                         std::to_string(sb.cp_blkaddr + kBlocksPerSeg) + "): " + e2);
    }
    // The newer valid one (ver_after: a wrapping comparison).
    bool second = e1.empty() ? false : true;
    if (e1.empty() && e2.empty()) second = static_cast<int64_t>(le64(pack2, kCpVersionAt) - le64(pack1, kCpVersionAt)) > 0;
    return second ? read_pack(pack2, 1, sb, what) : read_pack(pack1, 0, sb, what);
}

}  // namespace mtkfw::f2fs
