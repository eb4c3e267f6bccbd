#include "format/ext4.h"

#include <algorithm>
#include <cstdio>

#include "base/failure.h"

namespace mtkfw::ext4 {
namespace {

// Superblock fields copied as they are (the others are derived or depend on features).
struct Field32 {
    size_t at;
    uint32_t Superblock::*member;
};
constexpr Field32 kSuperblock32[] = {
    {kSFirstDataBlockAt, &Superblock::first_data_block},
    {kSBlocksPerGroupAt, &Superblock::blocks_per_group},
    {kSInodesPerGroupAt, &Superblock::inodes_per_group},
    {kSFeatureCompatAt, &Superblock::feature_compat},
    {kSFeatureIncompatAt, &Superblock::feature_incompat},
    {kSFeatureRoCompatAt, &Superblock::feature_ro_compat},
    {kSFirstMetaBgAt, &Superblock::first_meta_bg},
};

std::string hex32(uint32_t v) {
    char b[16];
    std::snprintf(b, sizeof b, "0x%x", v);
    return b;
}

bool power_of_two(uint32_t v) { return v && !(v & (v - 1)); }

// e2fsprogs test_root: is `a` a power of `b`?
bool is_power_of(uint32_t a, uint32_t b) {
    for (;;) {
        if (a < b) return a == 1;
        if (a % b) return false;
        a /= b;
    }
}

struct Range {
    uint64_t start, count;
};

// The superblock and descriptor copies in `group` (e2fsprogs ext2fs_reserve_super_and_bgd).
std::vector<Range> super_and_bgd(const Superblock& sb, uint32_t group) {
    std::vector<Range> r;
    const uint64_t group_block = group_first_block(sb, group);
    const uint64_t old_desc_blocks =
        sb.meta_bg() ? sb.first_meta_bg : static_cast<uint64_t>(sb.desc_blocks) + sb.reserved_gdt_blocks;
    const bool has_super = group_has_super(sb, group);
    if (has_super) r.push_back({group_block, 1});
    const uint32_t meta_group = group / sb.descs_per_block;
    if (!sb.meta_bg() || meta_group < sb.first_meta_bg) {
        if (has_super && old_desc_blocks > 0) {
            const uint64_t at = group_block + 1;
            r.push_back({at, std::min(old_desc_blocks, sb.blocks_count - at)});
        }
    } else {
        const uint32_t in_meta = group % sb.descs_per_block;
        if (in_meta == 0 || in_meta == 1 || in_meta == sb.descs_per_block - 1) {
            r.push_back({group_block + (has_super ? 1 : 0), 1});
        }
    }
    return r;
}

void mark(std::vector<uint8_t>& bits, uint64_t first, uint64_t n, Range range) {
    const uint64_t from = std::max(first, range.start), to = std::min(first + n, range.start + range.count);
    for (uint64_t b = from; b < to; ++b) bits[(b - first) / 8] |= static_cast<uint8_t>(1u << ((b - first) % 8));
}

}  // namespace

void check_superblock(Bytes b) {
    auto bad = [](const std::string& why) { fail_input("", why); };
    if (b.size() < kSuperblockSize) bad("not an ext2/3/4 file system: too short for a superblock");
    if (le16(b, kSMagicAt) != kMagic) bad("not an ext2/3/4 file system: no superblock magic 0xef53 at byte 1080");
    const uint32_t log_block = le32(b, kSLogBlockSizeAt);
    if (log_block > 6) bad("corrupt superblock: block size 1024 << " + std::to_string(log_block));
    const uint32_t block_size = 1024u << log_block, first_data_block = le32(b, kSFirstDataBlockAt),
                   per_group = le32(b, kSBlocksPerGroupAt);
    if (first_data_block != (block_size == 1024 ? 1u : 0u)) {
        bad("corrupt superblock: first data block " + std::to_string(first_data_block) + " with " +
            std::to_string(block_size) + "-byte blocks");
    }
    if (per_group < 256 || per_group % 8 || per_group > 8 * block_size) {
        bad("corrupt superblock: " + std::to_string(per_group) + " blocks per group");
    }
    if (le32(b, kSInodesPerGroupAt) == 0) bad("corrupt superblock: 0 inodes per group");
}

namespace {

// The fields as stored (the magic and geometry already checked).
Superblock read_fields(Bytes b) {
    Superblock sb;
    sb.block_size = 1024u << le32(b, kSLogBlockSizeAt);
    for (const Field32& f : kSuperblock32) sb.*f.member = le32(b, f.at);
    sb.label = ascii_field(b, kSVolumeNameAt, kSVolumeNameSize);
    sb.reserved_gdt_blocks = le16(b, kSReservedGdtBlocksAt);
    sb.backup_bgs[0] = le32(b, kSBackupBgsAt);
    sb.backup_bgs[1] = le32(b, kSBackupBgsAt + 4);
    const bool good_old_rev = le32(b, kSRevLevelAt) == 0;  // any other level is read as 1
    sb.inode_size = good_old_rev ? 128 : le16(b, kSInodeSizeAt);
    if (good_old_rev) sb.feature_compat = sb.feature_incompat = sb.feature_ro_compat = 0;
    const bool is64 = sb.feature_incompat & kIncompat64bit;
    sb.blocks_count = le32(b, kSBlocksCountLoAt) | (is64 ? static_cast<uint64_t>(le32(b, kSBlocksCountHiAt)) << 32 : 0);
    sb.desc_size = is64 ? le16(b, kSDescSizeAt) : kDescSize;
    return sb;
}

// Features that make the block bitmaps untrustworthy: copying every block is the way out.
void check_features(const Superblock& sb, const std::string& what) {
    if (sb.feature_incompat & kIncompatRecover) {
        fail_input(what, "the journal needs recovery (not unmounted cleanly), so the block bitmaps may be stale: "
                         "replay it first (e2fsck on a copy)", Remedy::copy_every_block);
    }
    if (const uint32_t unknown = sb.feature_incompat & ~kIncompatSupported) {
        fail_input(what, "unsupported INCOMPAT feature bits " + hex32(unknown) + ": cannot tell which blocks are used",
                   Remedy::copy_every_block);
    }
    if (sb.feature_ro_compat & kRoCompatBigalloc) {
        fail_input(what, "bigalloc file systems (bitmaps count clusters) are not supported", Remedy::copy_every_block);
    }
}

void check_sizes(const Superblock& sb, const std::string& what) {
    if (!power_of_two(sb.inode_size) || sb.inode_size < 128 || sb.inode_size > sb.block_size) {
        fail_input(what, "corrupt superblock: inode size " + std::to_string(sb.inode_size));
    }
    if ((sb.feature_incompat & kIncompat64bit) && (!power_of_two(sb.desc_size) || sb.desc_size < 64 ||
                                                    sb.desc_size > 1024 || sb.desc_size > sb.block_size)) {
        fail_input(what, "corrupt superblock: group descriptor size " + std::to_string(sb.desc_size));
    }
    if (sb.blocks_count <= sb.first_data_block) {
        fail_input(what, "corrupt superblock: " + std::to_string(sb.blocks_count) + " blocks");
    }
}

// Group count, descriptor table and inode table sizes.
void derive_layout(Superblock& sb, const std::string& what) {
    const uint64_t groups = (sb.blocks_count - sb.first_data_block + sb.blocks_per_group - 1) / sb.blocks_per_group;
    if (groups > UINT32_MAX) fail_input(what, "corrupt superblock: too many block groups");
    sb.group_count = static_cast<uint32_t>(groups);
    sb.descs_per_block = sb.block_size / sb.desc_size;
    sb.desc_blocks = (sb.group_count + sb.descs_per_block - 1) / sb.descs_per_block;
    sb.inode_blocks_per_group = static_cast<uint32_t>(
        (static_cast<uint64_t>(sb.inodes_per_group) * sb.inode_size + sb.block_size - 1) / sb.block_size);
    // e2fsprogs clamps a first_meta_bg past the table the same way.
    if (sb.meta_bg() && sb.first_meta_bg > sb.desc_blocks) sb.first_meta_bg = sb.desc_blocks;
}

}  // namespace

Superblock parse_superblock(Bytes b, const std::string& what) {
    try {
        check_superblock(b);
    } catch (const Failure& f) {
        fail_input(what, f.what());
    }
    Superblock sb = read_fields(b);
    check_features(sb, what);
    check_sizes(sb, what);
    derive_layout(sb, what);
    return sb;
}

std::vector<GroupDesc> parse_descriptor_block(Bytes block, const Superblock& sb, uint32_t first_group,
                                              const std::string& what) {
    std::vector<GroupDesc> out;
    const bool hi = (sb.feature_incompat & kIncompat64bit) && sb.desc_size >= 64;
    for (uint32_t i = 0; i < sb.descs_per_block && first_group + i < sb.group_count; ++i) {
        const Bytes d = block.subspan(static_cast<size_t>(i) * sb.desc_size, sb.desc_size);
        GroupDesc g;
        auto address = [&](size_t at) {
            return le32(d, at) | (hi ? static_cast<uint64_t>(le32(d, kBgHiHalfAt + at)) << 32 : 0);
        };
        g.block_bitmap = address(kBgBlockBitmapAt);
        g.inode_bitmap = address(kBgInodeBitmapAt);
        g.inode_table = address(kBgInodeTableAt);
        g.flags = le16(d, kBgFlagsAt);
        // The message is built only on failure: a file system has thousands of descriptors.
        auto inside = [&](const char* name, uint64_t at, uint64_t n) {
            if (at < sb.first_data_block || at + n > sb.blocks_count || at + n < at) {
                fail_input(what + ": group " + std::to_string(first_group + i) + ": corrupt descriptor", std::string(name) + " at block " + std::to_string(at) +
                                      " lies outside the file system (blocks " + std::to_string(sb.first_data_block) +
                                      ".." + std::to_string(sb.blocks_count - 1) + ")");
            }
        };
        inside("block bitmap", g.block_bitmap, 1);
        inside("inode bitmap", g.inode_bitmap, 1);
        inside("inode table", g.inode_table, sb.inode_blocks_per_group);
        out.push_back(g);
    }
    return out;
}

uint64_t find_bit(const std::vector<uint8_t>& bits, uint64_t from, uint64_t end, bool value) {
    const uint8_t skip = value ? 0x00 : 0xFF;  // a byte with none of the bits we look for
    for (uint64_t i = from; i < end;) {
        if (i % 8 == 0 && i + 8 <= end && bits[i / 8] == skip) {
            i += 8;
            continue;
        }
        if (test_bit(bits, i) == value) return i;
        ++i;
    }
    return end;
}

uint64_t group_first_block(const Superblock& sb, uint32_t group) {
    return sb.first_data_block + static_cast<uint64_t>(group) * sb.blocks_per_group;
}

uint32_t group_block_count(const Superblock& sb, uint32_t group) {
    const uint64_t first = group_first_block(sb, group);
    return static_cast<uint32_t>(std::min<uint64_t>(sb.blocks_per_group, sb.blocks_count - first));
}

uint32_t group_of(const Superblock& sb, uint64_t block) {
    return static_cast<uint32_t>((block - sb.first_data_block) / sb.blocks_per_group);
}

bool group_has_super(const Superblock& sb, uint32_t group) {
    if (group == 0) return true;
    if (sb.feature_compat & kCompatSparseSuper2) return group == sb.backup_bgs[0] || group == sb.backup_bgs[1];
    if (group <= 1 || !(sb.feature_ro_compat & kRoCompatSparseSuper)) return true;
    if (!(group & 1)) return false;
    return is_power_of(group, 3) || is_power_of(group, 5) || is_power_of(group, 7);
}

uint64_t descriptor_block(const Superblock& sb, uint32_t index) {
    if (!sb.meta_bg() || index < sb.first_meta_bg) return sb.first_data_block + 1 + static_cast<uint64_t>(index);
    const uint32_t group = sb.descs_per_block * index;
    return group_first_block(sb, group) + (group_has_super(sb, group) ? 1 : 0);
}

std::optional<uint32_t> descriptor_index(const Superblock& sb, uint64_t block) {
    const uint64_t classic = sb.meta_bg() ? sb.first_meta_bg : sb.desc_blocks;
    if (block > sb.first_data_block && block - sb.first_data_block - 1 < classic) {
        return static_cast<uint32_t>(block - sb.first_data_block - 1);
    }
    if (!sb.meta_bg() || block < sb.first_data_block || block >= sb.blocks_count) return std::nullopt;
    const uint32_t group = group_of(sb, block);
    if (group % sb.descs_per_block != 0 || group / sb.descs_per_block < sb.first_meta_bg) return std::nullopt;
    if (block != descriptor_block(sb, group / sb.descs_per_block)) return std::nullopt;
    return group / sb.descs_per_block;
}

void UsedBlocks::add_group(uint32_t group, const GroupDesc& desc) {
    if (descs_.size() <= group) {
        descs_.resize(group + 1);
        known_.resize(group + 1);
    }
    descs_[group] = desc;
    known_[group] = true;
    if (!desc.block_uninit_flag()) return;
    for (const Range r : {Range{desc.block_bitmap, 1}, Range{desc.inode_bitmap, 1},
                          Range{desc.inode_table, sb_.inode_blocks_per_group}}) {
        if (!uninit_meta_.empty() && uninit_meta_.back().first > r.start) sorted_ = false;
        uninit_meta_.emplace_back(r.start, r.count);
        longest_meta_ = std::max(longest_meta_, r.count);
    }
}

bool UsedBlocks::reads_bitmap(uint32_t group) const { return !(descs_[group].block_uninit_flag() && sb_.group_csum()); }

std::vector<uint8_t> UsedBlocks::group_used(uint32_t group, Bytes on_disk) const {
    const uint64_t first = group_first_block(sb_, group);
    const uint32_t n = group_block_count(sb_, group);
    std::vector<uint8_t> bits((n + 7) / 8, 0);
    if (reads_bitmap(group)) {
        std::copy(on_disk.begin(), on_disk.begin() + static_cast<ptrdiff_t>(bits.size()), bits.begin());
        if (n % 8) bits.back() &= static_cast<uint8_t>((1u << (n % 8)) - 1);  // padding of a short group
    }
    if (descs_[group].block_uninit_flag()) {
        for (const Range r : super_and_bgd(sb_, group)) mark(bits, first, n, r);
    }
    // Metadata of BLOCK_UNINIT groups that lies in this group.
    if (!sorted_) {
        std::sort(uninit_meta_.begin(), uninit_meta_.end());
        sorted_ = true;
    }
    const std::pair<uint64_t, uint64_t> from{first >= longest_meta_ ? first - longest_meta_ : 0, 0};
    auto it = std::lower_bound(uninit_meta_.begin(), uninit_meta_.end(), from);
    for (; it != uninit_meta_.end() && it->first < first + n; ++it) mark(bits, first, n, {it->first, it->second});
    return bits;
}

void check_fits(const Superblock& sb, uint64_t available, const std::string& what) {
    if (sb.blocks_count > available / sb.block_size) {
        const uint64_t need = sb.blocks_count * sb.block_size;  // only for the message
        fail_input(what, "blocks count past the end of the input: the file system has " +
                             std::to_string(sb.blocks_count) + " blocks of " + std::to_string(sb.block_size) +
                             " bytes (" + std::to_string(need) + " bytes) but the input holds " +
                             std::to_string(available) + " bytes (truncated dump?)");
    }
}

}  // namespace mtkfw::ext4
