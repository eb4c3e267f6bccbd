// format/erofs.h on structures built here from the layout of erofs-utils include/erofs_fs.h:
// the superblock's refusals, inodes (compact, extended, 48-bit start blocks, holes), directory
// blocks (names past the block), compact index packs (positions, heads' blocks with and without
// big pclusters) and pcluster decoding (lz4 by liblz4's own encoder, plain, interlaced).
#include <lz4.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/erofs.h"

using mtkfw::Exit;
using mtkfw::put_le16;
using mtkfw::put_le32;
using mtkfw::put_le64;
namespace erofs = mtkfw::erofs;

namespace {

// 4 KiB blocks, 1000 blocks, root nid 36, meta at block 0, label "vendor".
Buffer superblock() {
    Buffer b(erofs::kSuperblockSize, 0);
    put_le32(&b[erofs::kSMagicAt], erofs::kMagic);
    b[erofs::kSBlkszBitsAt] = 12;
    put_le16(&b[erofs::kSRootNid2At], 36);
    put_le32(&b[erofs::kSBlocksLoAt], 1000);
    put_le32(&b[erofs::kSFeatureIncompatAt], erofs::kIncompatLz4ZeroPadding);
    std::copy_n("vendor", 6, &b[erofs::kSVolumeNameAt]);
    return b;
}

erofs::Superblock parsed() { return erofs::parse_superblock(superblock(), "v"); }

}  // namespace

TEST(erofs_superblock_fields_and_size) {
    const erofs::Superblock sb = parsed();
    CHECK_EQ(sb.block_size, 4096u);
    CHECK_EQ(sb.root_nid, 36u);
    CHECK_EQ(sb.bytes(), 1000u * 4096);
    CHECK_EQ(sb.label, std::string("vendor"));
    CHECK_EQ(sb.compr_algs, 1);
    // 48BIT: blocks_hi replaces the 2-byte root nid, the root nid is the 8-byte field.
    const erofs::Superblock big = erofs::parse_superblock(edited(superblock(), [](Buffer& b) {
        put_le32(&b[erofs::kSFeatureIncompatAt], erofs::kIncompat48bit);
        put_le16(&b[erofs::kSRootNid2At], 2);
        put_le64(&b[erofs::kSRootNid8At], 0x123456789ULL);
    }), "v");
    CHECK_EQ(big.blocks, (2ULL << 32) + 1000);
    CHECK_EQ(big.root_nid, 0x123456789ULL);
    CHECK_EQ(big.bytes(), ((2ULL << 32) + 1000) * 4096);
}

TEST(erofs_superblock_refusals) {
    CHECK_THROWS(erofs::parse_superblock(edited(superblock(), [](Buffer& b) { b[0] ^= 1; }), "v"), Exit::invalid_input,
                 "v: not an erofs file system");
    CHECK_THROWS(erofs::parse_superblock(Buffer(64, 0), "v"), Exit::invalid_input, "not an erofs file system");
    CHECK_THROWS(erofs::parse_superblock(edited(superblock(), [](Buffer& b) { b[erofs::kSBlkszBitsAt] = 17; }), "v"),
                 Exit::invalid_input, "block size 2^17");
    CHECK_THROWS(erofs::parse_superblock(edited(superblock(), [](Buffer& b) { b[erofs::kSBlkszBitsAt] = 8; }), "v"),
                 Exit::invalid_input, "block size 2^8");
    CHECK_THROWS(erofs::parse_superblock(edited(superblock(), [](Buffer& b) {
                     put_le32(&b[erofs::kSFeatureIncompatAt], 0x1 | 0x400);
                 }), "v"),
                 Exit::invalid_input, "erofs feature unknown incompatible feature 0x400 is not supported");
    CHECK_THROWS(erofs::parse_superblock(edited(superblock(), [](Buffer& b) {
                     put_le32(&b[erofs::kSFeatureIncompatAt], erofs::kIncompatMetabox);
                 }), "v"),
                 Exit::invalid_input, "METABOX");
    CHECK_THROWS(erofs::parse_superblock(edited(superblock(), [](Buffer& b) { put_le16(&b[erofs::kSExtraDevicesAt], 1); }), "v"),
                 Exit::invalid_input, "1 extra devices");
    CHECK_THROWS(erofs::parse_superblock(edited(superblock(), [](Buffer& b) { b[erofs::kSDirBlkBitsAt] = 1; }), "v"),
                 Exit::invalid_input, "directory block bits 1");
}

TEST(erofs_inodes) {
    const erofs::Superblock sb = parsed();
    Buffer raw(64, 0);
    put_le16(&raw[erofs::kIFormatAt], erofs::kLayoutFlatInline << 1);
    put_le16(&raw[erofs::kIXattrCountAt], 3);
    put_le16(&raw[erofs::kIModeAt], 0x81A4);
    put_le16(&raw[erofs::kINbAt], 7);  // nlink: not a block number in a compact inode
    put_le32(&raw[erofs::kICompactSizeAt], 5000);
    put_le32(&raw[erofs::kIUAt], 42);
    erofs::Inode ino = erofs::parse_inode(raw, 5, 160, sb);
    CHECK(ino.is_regular());
    CHECK_EQ(ino.size, 5000u);
    CHECK_EQ(ino.start_block, 42u);
    CHECK_EQ(ino.xattr_bytes, 12u + 8u);
    CHECK_EQ(ino.tail_pos(), 160u + 32 + 20);
    // NLINK_1 on a non-directory: i_nb is the start block's high half.
    ino = erofs::parse_inode(edited(raw, [](Buffer& b) { put_le16(&b[erofs::kIFormatAt], erofs::kLayoutFlatInline << 1 | 0x10); }), 5, 160, sb);
    CHECK_EQ(ino.start_block, (7ULL << 32) + 42);
    // Extended: 64-bit size, the high half always.
    ino = erofs::parse_inode(edited(raw, [](Buffer& b) {
        put_le16(&b[erofs::kIFormatAt], erofs::kLayoutFlatPlain << 1 | 1);
        put_le64(&b[erofs::kIExtendedSizeAt], 1ULL << 33);
        put_le16(&b[erofs::kINbAt], 0);
    }), 5, 160, sb);
    CHECK_EQ(ino.size, 1ULL << 33);
    CHECK_EQ(ino.inode_bytes, 64u);
    // FLAT_PLAIN with block 0xFFFFFFFF: a hole.
    ino = erofs::parse_inode(edited(raw, [](Buffer& b) {
        put_le16(&b[erofs::kIFormatAt], erofs::kLayoutFlatPlain << 1);
        put_le32(&b[erofs::kIUAt], 0xFFFFFFFF);
    }), 5, 160, sb);
    CHECK_EQ(ino.start_block, erofs::kNullBlock);
    CHECK_THROWS(erofs::parse_inode(edited(raw, [](Buffer& b) { put_le16(&b[erofs::kIFormatAt], 0x20); }), 5, 160, sb),
                 Exit::invalid_input, "inode 5: corrupt erofs file system: unsupported i_format 0x20");
    CHECK_THROWS(erofs::parse_inode(edited(raw, [](Buffer& b) { put_le16(&b[erofs::kIFormatAt], 5 << 1); }), 5, 160, sb),
                 Exit::invalid_input, "unknown data layout 5");
    CHECK_THROWS(erofs::parse_inode(mtkfw::Bytes(edited(raw, [](Buffer& b) { b[0] |= 1; })).first(32), 5, 160, sb), Exit::invalid_input,
                 "extended inode cut short");
}

namespace {
// A directory block: entries (nid, name) in order, names after the dirents, NUL padding.
Buffer dir_block(const std::vector<std::pair<uint64_t, std::string>>& entries, size_t size) {
    Buffer b(size, 0);
    size_t name_at = entries.size() * erofs::kDirentSize;
    for (size_t i = 0; i < entries.size(); ++i) {
        put_le64(&b[i * 12 + erofs::kDNidAt], entries[i].first);
        put_le16(&b[i * 12 + erofs::kDNameOffAt], static_cast<uint16_t>(name_at));
        b[i * 12 + erofs::kDFileTypeAt] = 1;
        std::copy(entries[i].second.begin(), entries[i].second.end(), b.begin() + static_cast<ptrdiff_t>(name_at));
        name_at += entries[i].second.size();
    }
    return b;
}
}  // namespace

TEST(erofs_directory_blocks) {
    const Buffer b = dir_block({{36, "."}, {36, ".."}, {40, "build.prop"}, {41, "etc"}}, 4096);
    const auto entries = erofs::parse_dir_block(b, 4096, "d");
    CHECK_EQ(entries.size(), 4u);
    CHECK_EQ(entries[2].name, std::string("build.prop"));
    CHECK_EQ(entries[2].nid, 40u);
    CHECK_EQ(entries[3].name, std::string("etc"));  // the last name stops at the first NUL
    // The last block of a directory may be short: its last name runs to the block's end.
    const Buffer short_block = dir_block({{36, "."}, {50, "abc"}}, 24 + 4);
    CHECK_EQ(erofs::parse_dir_block(short_block, 4096, "d")[1].name, std::string("abc"));
    // A name past the block, a first name offset that is no multiple of 12, or past the block.
    CHECK_THROWS(erofs::parse_dir_block(edited(b, [](Buffer& x) { put_le16(&x[12 + 8], 0xFFF0); }), 4096, "d"),
                 Exit::invalid_input, "d: corrupt erofs file system: directory entry 0 has its name at 48..65520, outside its 4096-byte block");
    CHECK_THROWS(erofs::parse_dir_block(edited(b, [](Buffer& x) { put_le16(&x[8], 13); }), 4096, "d"),
                 Exit::invalid_input, "first name at 13");
    CHECK_THROWS(erofs::parse_dir_block(edited(b, [](Buffer& x) { put_le16(&x[8], 4104); }), 4096, "d"),
                 Exit::invalid_input, "first name at 4104");
    CHECK_THROWS(erofs::parse_dir_block(Buffer(8, 0), 4096, "d"), Exit::invalid_input, "directory block of 8 bytes");
    CHECK_THROWS(erofs::parse_dir_block(edited(b, [](Buffer& x) { x[3 * 12 + 7] = 0x80; }), 4096, "d"),
                 Exit::invalid_input, "metabox");
}

TEST(erofs_compact_positions) {
    // index_base 8 bytes past a 32-byte boundary: 6 leading 4-byte values reach the next one.
    erofs::CompactPosition p = erofs::compact_position(1064, 0, 100, true, 12, "i");
    CHECK_EQ(p.pack, 1064u);
    CHECK_EQ(p.pack_bytes, 8u);
    CHECK_EQ(p.index, 0u);
    p = erofs::compact_position(1064, 5, 100, true, 12, "i");  // the 6th 4-byte value
    CHECK_EQ(p.pack, 1080u);
    CHECK_EQ(p.index, 1u);
    p = erofs::compact_position(1064, 6 + 17, 100, true, 12, "i");  // 2-byte packs from 1088
    CHECK_EQ(p.pack, 1120u);
    CHECK_EQ(p.pack_bytes, 32u);
    CHECK_EQ(p.index, 1u);
    // 94 - 6 = 88 lclusters after the 4-byte ones: 80 in 2-byte packs, the last 8 in 4-byte ones.
    p = erofs::compact_position(1064, 6 + 80, 100, true, 12, "i");
    CHECK_EQ(p.pack, 1088u + 160);
    CHECK_EQ(p.pack_bytes, 8u);
    // Without COMPACTED_2B every pack is 4-byte.
    p = erofs::compact_position(1064, 23, 100, false, 12, "i");
    CHECK_EQ(p.pack, 1064u + 23 * 4 / 8 * 8);
    CHECK_THROWS(erofs::compact_position(1064, 0, 100, false, 15, "i"), Exit::invalid_input, "15-bit clusters");
}

namespace {
// A 4-byte pack (2 values of 16 bits): lo 12 bits then 2 type bits, then the base block.
Buffer pack4(uint16_t v0, uint16_t v1, uint32_t base) {
    Buffer b(8, 0);
    put_le16(&b[0], v0);
    put_le16(&b[2], v1);
    put_le32(&b[4], base);
    return b;
}
uint16_t value(uint8_t type, uint16_t lo) { return static_cast<uint16_t>(type << 12 | lo); }
}  // namespace

TEST(erofs_compact_heads_blocks) {
    erofs::CompactPosition at{0, 8, 2, 0};
    // Two heads: base + 1, base + 2 (each pcluster one block).
    Buffer b = pack4(value(erofs::kHead1, 0), value(erofs::kHead1, 100), 50);
    CHECK_EQ(erofs::parse_compact_index(b, at, 12, false, "i").blkaddr, 51u);
    at.index = 1;
    erofs::Lcluster l = erofs::parse_compact_index(b, at, 12, false, "i");
    CHECK_EQ(l.blkaddr, 52u);
    CHECK_EQ(l.clusterofs, 100);
    // Big pclusters: a head then its block count (CBLKCNT 5) in the next value: the next pack's
    // base already counts them; the head itself is at base.
    b = pack4(value(erofs::kPlain, 0), value(erofs::kNonHead, erofs::kD0Cblkcnt | 5), 70);
    at.index = 0;
    CHECK_EQ(erofs::parse_compact_index(b, at, 12, true, "i").blkaddr, 70u);
    at.index = 1;
    CHECK_EQ(erofs::parse_compact_index(b, at, 12, true, "i").cblkcnt, 5u);
    // A block count in a file without big pclusters; a cluster offset past the cluster.
    CHECK_THROWS(erofs::parse_compact_index(b, at, 12, false, "i"), Exit::invalid_input, "without big pclusters");
    at.index = 0;
    CHECK_THROWS(erofs::parse_compact_index(pack4(value(erofs::kHead1, 4095), 0, 0), at, 11, false, "i"),
                 Exit::invalid_input, "cluster offset 4095 past its cluster");
}

TEST(erofs_decode_pcluster) {
    std::string text;
    for (int i = 0; i < 400; ++i) text += "ro.vendor.prop." + std::to_string(i) + "=value\n";
    std::vector<char> packed(LZ4_compressBound(static_cast<int>(text.size())));
    const int n = LZ4_compress_default(text.data(), packed.data(), static_cast<int>(text.size()), static_cast<int>(packed.size()));
    CHECK(n > 0);
    // 0padding: the stream at the end of its 4 KiB block.
    Buffer cluster(4096, 0);
    std::copy(packed.begin(), packed.begin() + n, cluster.end() - n);
    std::string out(text.size(), '\0');
    erofs::decode_pcluster(cluster, false, false, 0, 4096, reinterpret_cast<uint8_t*>(out.data()), out.size(), "c");
    CHECK(out == text);
    // Partial: the first 1000 bytes only.
    std::string part(1000, '\0');
    erofs::decode_pcluster(cluster, false, false, 0, 4096, reinterpret_cast<uint8_t*>(part.data()), part.size(), "c");
    CHECK(part == text.substr(0, 1000));
    // A damaged stream, a stream that gives fewer bytes, zeros only: Failures.
    Buffer bad = cluster;
    std::fill(bad.end() - n / 2, bad.end(), 0xFD);
    CHECK_THROWS(erofs::decode_pcluster(bad, false, false, 0, 4096, reinterpret_cast<uint8_t*>(out.data()), out.size(), "c"),
                 Exit::invalid_input, "c: corrupt erofs file system: corrupt lz4 stream");
    std::string more(text.size() + 10, '\0');
    CHECK_THROWS(erofs::decode_pcluster(cluster, false, false, 0, 4096, reinterpret_cast<uint8_t*>(more.data()), more.size(), "c"),
                 Exit::invalid_input, "corrupt lz4 stream");
    CHECK_THROWS(erofs::decode_pcluster(Buffer(4096, 0), false, false, 0, 4096, reinterpret_cast<uint8_t*>(out.data()), 10, "c"),
                 Exit::invalid_input, "zeros only");
    // Plain clusters: as stored, or rotated by the extent's offset in its block (interlaced).
    Buffer raw(16);
    for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>('a' + i);
    std::string plain(6, '\0');
    erofs::decode_pcluster(raw, true, false, 0, 16, reinterpret_cast<uint8_t*>(plain.data()), plain.size(), "c");
    CHECK_EQ(plain, std::string("abcdef"));
    std::string rotated(16, '\0');
    erofs::decode_pcluster(raw, true, true, 16 * 3 + 12, 16, reinterpret_cast<uint8_t*>(rotated.data()), rotated.size(), "c");
    CHECK_EQ(rotated, std::string("mnopabcdefghijkl"));
    CHECK_THROWS(erofs::decode_pcluster(raw, true, false, 0, 16, reinterpret_cast<uint8_t*>(more.data()), 17, "c"),
                 Exit::invalid_input, "an uncompressed cluster of 16 bytes for 17 bytes");
}
