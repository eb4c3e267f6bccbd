// format/f2fs.h and ops/f2fs_map.h on structures built here from the layout of the kernel's
// include/linux/f2fs_fs.h: the CRC (against a bit-by-bit reference), the superblock's geometry
// rules and refusals, the backup superblock, SIT entries, checkpoint packs (CRC, versions, which
// one wins) and the SIT journal, and the map (metadata, current segments, SIT bits, the journal
// overriding a SIT block).
#include <string>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/f2fs.h"
#include "ops/f2fs_map.h"

using mtkfw::Bytes;
using mtkfw::Exit;
using mtkfw::put_le16;
using mtkfw::put_le32;
using mtkfw::put_le64;
namespace f2fs = mtkfw::f2fs;

namespace {

constexpr size_t kBs = f2fs::kBlockSize;

// f2fs-tools' f2fs_cal_crc32, bit by bit.
uint32_t reference_crc(uint32_t crc, Bytes b) {
    for (uint8_t c : b) {
        crc ^= c;
        for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1) ? 0xEDB88320u : 0);
    }
    return crc;
}

// The geometry mkfs.f2fs 1.15 gives 128 MiB: segment 0 at block 512, 2 CP, 2 SIT, 2 NAT, 1 SSA
// segments, main at 4096 with 56 segments; label "data".
Buffer superblock() {
    Buffer b(f2fs::kSuperblockSize, 0);
    put_le32(&b[f2fs::kSMagicAt], f2fs::kMagic);
    put_le32(&b[f2fs::kSLogSectorSizeAt], 9);
    put_le32(&b[f2fs::kSLogSectorsPerBlockAt], 3);
    put_le32(&b[f2fs::kSLogBlockSizeAt], 12);
    put_le32(&b[f2fs::kSLogBlocksPerSegAt], 9);
    put_le32(&b[f2fs::kSSegsPerSecAt], 1);
    put_le32(&b[f2fs::kSSecsPerZoneAt], 1);
    put_le32(&b[f2fs::kSChecksumOffsetAt], 0);
    put_le64(&b[f2fs::kSBlockCountAt], 32768);
    put_le32(&b[f2fs::kSSectionCountAt], 56);
    put_le32(&b[f2fs::kSSegmentCountAt], 63);
    put_le32(&b[f2fs::kSSegmentCountCkptAt], 2);
    put_le32(&b[f2fs::kSSegmentCountSitAt], 2);
    put_le32(&b[f2fs::kSSegmentCountNatAt], 2);
    put_le32(&b[f2fs::kSSegmentCountSsaAt], 1);
    put_le32(&b[f2fs::kSSegmentCountMainAt], 56);
    put_le32(&b[f2fs::kSSegment0BlkaddrAt], 512);
    put_le32(&b[f2fs::kSCpBlkaddrAt], 512);
    put_le32(&b[f2fs::kSSitBlkaddrAt], 1536);
    put_le32(&b[f2fs::kSNatBlkaddrAt], 2560);
    put_le32(&b[f2fs::kSSsaBlkaddrAt], 3584);
    put_le32(&b[f2fs::kSMainBlkaddrAt], 4096);
    for (int i = 0; i < 4; ++i) put_le16(&b[f2fs::kSVolumeNameAt + 2 * i], static_cast<uint16_t>("data"[i]));
    return b;
}

void set_sb_crc(Buffer& b) {
    put_le32(&b[f2fs::kSChecksumOffsetAt], f2fs::kSCrcAt);
    put_le32(&b[f2fs::kSCrcAt], f2fs::crc32(f2fs::kMagic, Bytes(b.data(), f2fs::kSCrcAt)));
}

f2fs::Superblock parsed(const Buffer& b) { return f2fs::parse_superblock(b, "sb"); }

// A 74-byte SIT entry with `n` valid blocks (the first n bits) and type `type`.
Buffer sit_entry(uint16_t n, uint16_t type = 0, uint16_t count = 0xFFFF) {
    Buffer e(f2fs::kSitEntrySize, 0);
    put_le16(&e[0], static_cast<uint16_t>((count == 0xFFFF ? n : count) | type << 10));
    for (uint16_t i = 0; i < n; ++i) e[2 + i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
    return e;
}

void seal(uint8_t* block) {
    put_le32(block + f2fs::kCpChecksumOffsetAt, f2fs::kCpChecksumMax);
    put_le32(block + f2fs::kCpChecksumMax, f2fs::crc32(f2fs::kMagic, Bytes(block, f2fs::kCpChecksumMax)));
}

// A pack (one segment) of version `v`: 5 blocks, compacted summaries in block 1 with a SIT
// journal of `journal` (segno, entry) pairs; current segments 0..5; SIT bitmap `sit_bits`.
// With `normal`: 8 blocks, normal summaries (3 data, 3 node: UMOUNT), the SIT journal in the
// cold data summary (block 3) after its 512 entries.
Buffer pack(uint64_t v, const std::vector<std::pair<uint32_t, Buffer>>& journal = {}, uint8_t sit_bits = 0,
            bool normal = false) {
    const uint32_t total = normal ? 8 : 5;
    Buffer p(f2fs::kBlocksPerSeg * kBs, 0);
    auto head = [&](uint8_t* b) {
        put_le64(b + f2fs::kCpVersionAt, v);
        for (int i = 0; i < 3; ++i) {
            put_le32(b + f2fs::kCpCurNodeSegnoAt + 4 * i, static_cast<uint32_t>(i));
            put_le32(b + f2fs::kCpCurDataSegnoAt + 4 * i, static_cast<uint32_t>(3 + i));
        }
        put_le32(b + f2fs::kCpFlagsAt, f2fs::kCpUmountFlag | (normal ? 0 : f2fs::kCpCompactSumFlag));
        put_le32(b + f2fs::kCpPackTotalAt, total);
        put_le32(b + f2fs::kCpPackStartSumAt, 1);
        put_le32(b + f2fs::kCpSitBitmapSizeAt, 64);
        put_le32(b + f2fs::kCpNatBitmapSizeAt, 128);
        b[f2fs::kCpBitmapsAt] = sit_bits;
        seal(b);
    };
    head(&p[0]);
    head(&p[(total - 1) * kBs]);
    uint8_t* j = normal ? &p[3 * kBs + f2fs::kSumEntriesSize] : &p[kBs + f2fs::kJournalSize];
    put_le16(j, static_cast<uint16_t>(journal.size()));
    for (size_t i = 0; i < journal.size(); ++i) {
        put_le32(j + 2 + i * f2fs::kSitJournalEntrySize, journal[i].first);
        std::copy(journal[i].second.begin(), journal[i].second.end(), j + 6 + i * f2fs::kSitJournalEntrySize);
    }
    return p;
}

}  // namespace

TEST(f2fs_crc_is_f2fs_tools_crc) {
    const Buffer b = superblock();
    CHECK_EQ(f2fs::crc32(f2fs::kMagic, b), reference_crc(f2fs::kMagic, b));
    CHECK_EQ(f2fs::crc32(0, Bytes()), 0u);
}

TEST(f2fs_superblock_fields) {
    const f2fs::Superblock sb = parsed(superblock());
    CHECK_EQ(sb.main_blkaddr, 4096u);
    CHECK_EQ(sb.main_end(), 4096u + 56 * 512);
    CHECK_EQ(sb.sit_blocks(), 512u);
    CHECK_EQ(sb.label, std::string("data"));
    CHECK_EQ(parsed(edited(superblock(), set_sb_crc)).block_count, 32768u);
}

TEST(f2fs_superblock_refusals) {
    auto refused = [](auto edit, const char* text) {
        CHECK_THROWS(parsed(edited(superblock(), edit)), Exit::invalid_input, text);
    };
    refused([](Buffer& b) { b[0] ^= 1; }, "sb: not an f2fs file system");
    refused([](Buffer& b) { put_le32(&b[f2fs::kSLogBlockSizeAt], 14); }, "block size 2^14 is not supported");
    refused([](Buffer& b) { put_le32(&b[f2fs::kSSegmentCountAt], 65); }, "segment_count 65 is past the device");
    refused([](Buffer& b) { put_le32(&b[f2fs::kSNatBlkaddrAt], 2561); }, "nat_blkaddr 2561, the area before it ends at block 2560");
    refused([](Buffer& b) { put_le32(&b[f2fs::kSSectionCountAt], 55); }, "segment_count_main 56 is not 55 sections");
    refused([](Buffer& b) { put_le32(&b[f2fs::kSFeatureAt], 0x80000000); }, "unknown f2fs feature bit 0x80000000");
    refused([](Buffer& b) { put_le32(&b[f2fs::kSFeatureAt], f2fs::kFeatureBlkzoned); }, "feature 'blkzoned' is not supported");
    refused([](Buffer& b) { b[f2fs::kSDevicesAt] = '/'; }, "multi-device");
    refused([](Buffer& b) {
        put_le32(&b[f2fs::kSFeatureAt], f2fs::kFeatureSbChksum);
        set_sb_crc(b);
        b[f2fs::kSVolumeNameAt] ^= 1;
    }, "superblock checksum");
    // Read, not refused: Android's features.
    CHECK_EQ(parsed(edited(superblock(), [](Buffer& b) {
        put_le32(&b[f2fs::kSFeatureAt], f2fs::kFeatureEncrypt | f2fs::kFeatureCasefold | f2fs::kFeatureCompression |
                                            f2fs::kFeatureVerity | f2fs::kFeatureQuotaIno | f2fs::kFeatureExtraAttr);
    })).main_blkaddr, 4096u);
}

TEST(f2fs_backup_superblock) {
    Buffer two(2 * kBs, 0);
    const Buffer sb = superblock();
    std::copy(sb.begin(), sb.end(), two.begin() + kBs + 1024);
    mtkfw::Notices notices;
    CHECK_EQ(f2fs::pick_superblock(two, "p", notices).main_blkaddr, 4096u);
    CHECK_EQ(notices.size(), 1u);
    CHECK(f2fs::has_f2fs_magic(two));
    // An ext4 (magic 0xEF53 at 1080) is not f2fs for a stray backup magic.
    put_le16(&two[1080], 0xEF53);
    CHECK(!f2fs::has_f2fs_magic(two));
    Buffer none(2 * kBs, 0);
    CHECK_THROWS(f2fs::pick_superblock(none, "p", notices), Exit::invalid_input, "p: not an f2fs file system");
}

TEST(f2fs_sit_entry) {
    CHECK_EQ(f2fs::parse_sit_entry(sit_entry(9, 3), 7, "s").valid, 9u);
    CHECK(f2fs::map_bit(f2fs::parse_sit_entry(sit_entry(9), 7, "s").map, 8));
    CHECK(!f2fs::map_bit(f2fs::parse_sit_entry(sit_entry(9), 7, "s").map, 9));
    CHECK_THROWS(f2fs::parse_sit_entry(sit_entry(2, 0, 3), 7, "s"), Exit::invalid_input,
                 "s: SIT entry of main segment 7 counts 3 valid blocks, its bitmap holds 2");
    CHECK_THROWS(f2fs::parse_sit_entry(sit_entry(1, 6), 7, "s"), Exit::invalid_input, "segment type 6");
}

TEST(f2fs_checkpoint_packs) {
    const f2fs::Superblock sb = parsed(superblock());
    CHECK_EQ(f2fs::pick_checkpoint(pack(5), pack(6), sb, "c").pack, 1u);
    CHECK_EQ(f2fs::pick_checkpoint(pack(7), pack(6), sb, "c").pack, 0u);
    // Versions wrap: 0 is after 2^64 - 1.
    CHECK_EQ(f2fs::pick_checkpoint(pack(UINT64_MAX), pack(0), sb, "c").pack, 1u);
    // A bad CRC in the newer pack: the older one.
    CHECK_EQ(f2fs::pick_checkpoint(pack(5), edited(pack(6), [](Buffer& p) { p[100] ^= 1; }), sb, "c").version, 5u);
    // The last block's version differs: invalid.
    Buffer torn = pack(9);
    put_le64(&torn[4 * kBs], 10);
    seal(&torn[4 * kBs]);
    CHECK_EQ(f2fs::pick_checkpoint(pack(5), torn, sb, "c").version, 5u);
    CHECK_THROWS(f2fs::pick_checkpoint(torn, edited(pack(6), [](Buffer& p) { put_le32(&p[f2fs::kCpPackTotalAt], 600); }), sb, "c"),
                 Exit::invalid_input, "c: no valid checkpoint: pack 1 (block 512): versions 9 and 10");
    const f2fs::Checkpoint cp = f2fs::pick_checkpoint(pack(5, {{12, sit_entry(3)}}, 0x40), pack(1), sb, "c");
    CHECK_EQ(cp.journal.size(), 1u);
    CHECK_EQ(cp.journal[0].first, 12u);
    CHECK(cp.sit_in_second_copy(1) && !cp.sit_in_second_copy(0));
    CHECK_EQ(cp.cursegs[5], 5u);
    const f2fs::Checkpoint normal = f2fs::pick_checkpoint(pack(5, {{12, sit_entry(3)}, {13, sit_entry(4)}}, 0, true), pack(1), sb, "c");
    CHECK_EQ(normal.journal.size(), 2u);
    CHECK_EQ(normal.journal[1].first, 13u);
    CHECK_EQ(normal.journal[1].second.valid, 4u);
    CHECK_THROWS(f2fs::pick_checkpoint(pack(5, {{56, sit_entry(3)}}), pack(1), sb, "c"), Exit::invalid_input,
                 "SIT journal entry for segment 56, past the 56 main segments");
}

TEST(f2fs_map_runs) {
    Buffer first(2 * kBs, 0);
    const Buffer sb = superblock();
    std::copy(sb.begin(), sb.end(), first.begin() + 1024);
    mtkfw::Notices notices;
    f2fs::MapBuilder b(first, "m", notices);
    Buffer area(2 * f2fs::kBlocksPerSeg * kBs, 0);
    // Journal: segment 10 partial (3 blocks), replacing the SIT block's full entry.
    const Buffer p = pack(5, {{10, sit_entry(3)}});
    std::copy(p.begin(), p.end(), area.begin());
    b.checkpoint_area(area);
    CHECK_EQ(b.sit_blocks_needed(), 2u);
    CHECK_EQ(b.sit_block_address(0), 1536u);
    Buffer sit0(kBs, 0), sit1(kBs, 0);
    auto put = [](Buffer& block, size_t k, const Buffer& e) { std::copy(e.begin(), e.end(), block.begin() + k * f2fs::kSitEntrySize); };
    put(sit0, 8, sit_entry(2));    // segment 8: blocks 0, 1
    put(sit0, 10, sit_entry(512));  // overridden by the journal
    put(sit1, 0, sit_entry(512));  // segment 55: full
    b.sit_block(0, sit0);
    CHECK_THROWS(b.finish(), Exit::invalid_input, "m: truncated: SIT block 1537 was not read");
    b.sit_block(1, sit1);
    const f2fs::Map m = b.finish();
    CHECK_EQ(m.valid_blocks(), 2u + 3 + 512);
    std::vector<std::string> runs;
    m.runs(0, 32768, [&](uint64_t first, uint64_t count, bool used) {
        runs.push_back(std::to_string(first) + "+" + std::to_string(count) + (used ? "u" : "f"));
        return true;
    });
    // Metadata and current segments 0..5 used, 6..7 free, 8: 2 blocks, 10: 3 blocks, 55 and the tail used.
    const uint64_t s8 = 4096 + 8 * 512, s10 = 4096 + 10 * 512, s55 = 4096 + 55 * 512;
    const std::vector<std::string> want = {
        "0+" + std::to_string(4096 + 6 * 512) + "u", std::to_string(4096 + 6 * 512) + "+1024f",
        std::to_string(s8) + "+2u", std::to_string(s8 + 2) + "+" + std::to_string(s10 - s8 - 2) + "f",
        std::to_string(s10) + "+3u", std::to_string(s10 + 3) + "+" + std::to_string(s55 - s10 - 3) + "f",
        std::to_string(s55) + "+" + std::to_string(32768 - s55) + "u"};
    CHECK_EQ(runs.size(), want.size());
    for (size_t i = 0; i < std::min(runs.size(), want.size()); ++i) CHECK_EQ(runs[i], want[i]);
    const mtkfw::sparse::UsedRange used = m.used_range();
    CHECK(!used(0, 0));
    CHECK(used((s8 + 1) * kBs, 4096));
    CHECK(!used((s8 + 2) * kBs, (s10 - s8 - 2) * kBs));
    CHECK(used((s8 + 2) * kBs, (s10 - s8 - 1) * kBs));
}
