// check_superblock and parse_superblock (format/ext4.h) on 1024-byte superblocks built here, each
// with one field changed from what mke2fs -b 4096 writes.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "check.h"
#include "format/ext4.h"

using mtkfw::Exit;
using mtkfw::put_le16;
using mtkfw::put_le32;

namespace {
// check_superblock's verdict as text: "" when it takes the bytes for a superblock, else its
// Failure's message (always invalid input).
std::string problem(const Buffer& b) {
    try {
        mtkfw::ext4::check_superblock(b);
        return "";
    } catch (const mtkfw::Failure& f) {
        CHECK(f.code() == Exit::invalid_input);
        return f.what();
    }
}

// 4 KiB blocks, 32768 per group, 8192 inodes per group of 256 bytes, 65536 blocks, label "system".
Buffer superblock() {
    Buffer b(1024, 0);
    put_le32(&b[0x04], 65536);
    put_le32(&b[0x18], 2);
    put_le32(&b[0x20], 32768);
    put_le32(&b[0x28], 8192);
    put_le16(&b[0x38], 0xEF53);
    put_le32(&b[0x4C], 1);
    put_le16(&b[0x58], 256);
    put_le32(&b[0x60], mtkfw::ext4::kIncompatFiletype | mtkfw::ext4::kIncompatExtents);
    std::copy_n("system", 6, &b[0x78]);
    return b;
}
}  // namespace

TEST(superblock_of_mke2fs_has_no_problem) {
    CHECK_EQ(problem(superblock()), std::string());
    const auto sb = mtkfw::ext4::parse_superblock(superblock(), "system");
    CHECK_EQ(sb.block_size, 4096u);
    CHECK_EQ(sb.blocks_count, 65536u);
    CHECK_EQ(sb.group_count, 2u);
    CHECK_EQ(sb.label, std::string("system"));
}

TEST(superblock_1k_blocks_start_at_block_1) {
    CHECK_EQ(problem(edited(superblock(), [](Buffer& b) { put_le32(&b[0x18], 0); put_le32(&b[0x14], 1); put_le32(&b[0x20], 8192); })),
             std::string());
    CHECK_EQ(problem(edited(superblock(), [](Buffer& b) { put_le32(&b[0x18], 0); put_le32(&b[0x20], 8192); })),
             std::string("corrupt superblock: first data block 0 with 1024-byte blocks"));
}

TEST(superblock_rejects_too_short) {
    CHECK_EQ(problem(Buffer(1023, 0)), std::string("not an ext2/3/4 file system: too short for a superblock"));
}

TEST(superblock_rejects_no_magic) {
    CHECK_EQ(problem(edited(superblock(), [](Buffer& b) { b[0x38] = 0x54; })),
             std::string("not an ext2/3/4 file system: no superblock magic 0xef53 at byte 1080"));
}

TEST(superblock_rejects_blocks_above_64k) {
    CHECK_EQ(problem(edited(superblock(), [](Buffer& b) { put_le32(&b[0x18], 7); })),
             std::string("corrupt superblock: block size 1024 << 7"));
}

TEST(superblock_rejects_a_first_data_block_other_than_0_with_4k_blocks) {
    CHECK_EQ(problem(edited(superblock(), [](Buffer& b) { put_le32(&b[0x14], 1); })),
             std::string("corrupt superblock: first data block 1 with 4096-byte blocks"));
}

TEST(superblock_rejects_blocks_per_group_mke2fs_cannot_make) {
    for (uint32_t n : {0u, 255u, 260u, 32776u}) {
        CHECK_EQ(problem(edited(superblock(), [&](Buffer& b) { put_le32(&b[0x20], n); })),
                 "corrupt superblock: " + std::to_string(n) + " blocks per group");
    }
}

TEST(superblock_rejects_0_inodes_per_group) {
    CHECK_EQ(problem(edited(superblock(), [](Buffer& b) { put_le32(&b[0x28], 0); })),
             std::string("corrupt superblock: 0 inodes per group"));
}

TEST(parse_fails_with_the_problem) {
    CHECK_THROWS(mtkfw::ext4::parse_superblock(edited(superblock(), [](Buffer& b) { b[0x38] = 0; }), "system"),
                 Exit::invalid_input, "system: not an ext2/3/4 file system");
}

TEST(parse_rejects_a_journal_needing_recovery) {
    CHECK_THROWS(mtkfw::ext4::parse_superblock(edited(superblock(), [](Buffer& b) { b[0x60] |= mtkfw::ext4::kIncompatRecover; }), "s"),
                 Exit::invalid_input, "s: the journal needs recovery");
}

TEST(parse_rejects_unknown_incompat_features) {
    CHECK_THROWS(mtkfw::ext4::parse_superblock(edited(superblock(), [](Buffer& b) { b[0x63] = 0x80; }), "s"),
                 Exit::invalid_input, "s: unsupported INCOMPAT feature bits 0x80000000");
}

TEST(parse_rejects_bigalloc) {
    CHECK_THROWS(mtkfw::ext4::parse_superblock(edited(superblock(), [](Buffer& b) { put_le32(&b[0x64], 0x200); }), "s"),
                 Exit::invalid_input, "s: bigalloc file systems (bitmaps count clusters) are not supported");
}

TEST(parse_rejects_an_inode_size_not_a_power_of_two_up_to_the_block) {
    for (uint16_t n : {100, 384, 8192}) {
        CHECK_THROWS(mtkfw::ext4::parse_superblock(edited(superblock(), [&](Buffer& b) { put_le16(&b[0x58], n); }), "s"),
                     Exit::invalid_input, "corrupt superblock: inode size " + std::to_string(n));
    }
}

TEST(parse_rejects_no_blocks_after_the_first) {
    CHECK_THROWS(mtkfw::ext4::parse_superblock(edited(superblock(), [](Buffer& b) { put_le32(&b[0x04], 0); }), "s"),
                 Exit::invalid_input, "corrupt superblock: 0 blocks");
}

TEST(parse_names_the_copy_every_block_remedy_for_features_only) {
    auto remedy = [](const Buffer& b) {
        try {
            mtkfw::ext4::parse_superblock(b, "s");
        } catch (const mtkfw::Failure& f) {
            return f.remedy();
        }
        return mtkfw::Remedy::none;
    };
    CHECK(remedy(edited(superblock(), [](Buffer& b) { b[0x60] |= mtkfw::ext4::kIncompatRecover; })) == mtkfw::Remedy::copy_every_block);
    CHECK(remedy(edited(superblock(), [](Buffer& b) { b[0x63] = 0x80; })) == mtkfw::Remedy::copy_every_block);
    CHECK(remedy(edited(superblock(), [](Buffer& b) { put_le32(&b[0x64], 0x200); })) == mtkfw::Remedy::copy_every_block);
    CHECK(remedy(edited(superblock(), [](Buffer& b) { put_le32(&b[0x04], 0); })) == mtkfw::Remedy::none);
}

TEST(revision_0_reads_inode_size_128_and_no_features_any_other_level_reads_as_1) {
    const auto old = mtkfw::ext4::parse_superblock(edited(superblock(), [](Buffer& b) { put_le32(&b[0x4C], 0); b[0x63] = 0x80; }), "s");
    CHECK_EQ(old.inode_size, uint16_t{128});
    CHECK_EQ(old.feature_incompat, 0u);
    const auto two = mtkfw::ext4::parse_superblock(edited(superblock(), [](Buffer& b) { put_le32(&b[0x4C], 2); }), "s");
    CHECK_EQ(two.inode_size, uint16_t{256});
}
