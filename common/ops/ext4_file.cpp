#include "ops/ext4_file.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <vector>

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw::ext4 {
namespace {

constexpr uint16_t kModeTypeMask = 0xF000, kModeDirectory = 0x4000, kModeRegular = 0x8000;
constexpr uint32_t kFlagExtents = 0x80000, kFlagInlineData = 0x10000000;
constexpr uint16_t kExtentMagic = 0xF30A;
constexpr uint16_t kExtentInitMax = 32768;
constexpr int kMaxExtentDepth = 5;
constexpr size_t kMaxDirectoryBytes = 16u << 20;

struct Inode {
    uint32_t number = 0;
    uint16_t mode = 0;
    uint64_t size = 0;
    uint32_t flags = 0;
    std::array<uint8_t, kIBlockSize> block{};
};

// Logical block -> physical block (0: reads as zeros), for the blocks below a limit.
using BlockMap = std::map<uint64_t, uint64_t>;

[[noreturn]] void corrupt(const std::string& what, const std::string& why) {
    fail_input(what, "corrupt ext4 file system: " + why);
}

std::vector<uint8_t> read_block(const Volume& v, uint64_t block, const std::string& what) {
    if (block == 0 || block >= v.super().blocks_count) {
        corrupt(what, "block " + std::to_string(block) + " is outside the file system");
    }
    std::vector<uint8_t> buf(v.super().block_size);
    v.read_blocks(block, 1, buf.data());
    return buf;
}

Inode read_inode(const Volume& v, uint32_t number) {
    const Superblock& sb = v.super();
    const std::string what = "inode " + std::to_string(number);
    if (number == 0 || number > static_cast<uint64_t>(sb.inodes_per_group) * sb.group_count) {
        corrupt(what, "no such inode");
    }
    const uint32_t group = (number - 1) / sb.inodes_per_group;
    const uint64_t byte = static_cast<uint64_t>((number - 1) % sb.inodes_per_group) * sb.inode_size;
    if (!v.used().known(group)) corrupt(what, "its group descriptor was not read");
    const std::vector<uint8_t> block =
        read_block(v, v.used().desc(group).inode_table + byte / sb.block_size, what);
    const Bytes raw = Bytes(block).subspan(byte % sb.block_size, kInodeReadBytes);
    Inode inode;
    inode.number = number;
    inode.mode = le16(raw, kIModeAt);
    inode.size = le32(raw, kISizeLoAt) | static_cast<uint64_t>(le32(raw, kISizeHighAt)) << 32;
    inode.flags = le32(raw, kIFlagsAt);
    std::copy(raw.begin() + kIBlockAt, raw.begin() + kIBlockAt + kIBlockSize, inode.block.begin());
    return inode;
}

void map_extents(const Volume& v, Bytes node, int depth_budget, uint64_t limit, BlockMap* map,
                 const std::string& what) {
    if (node.size() < kExtentHeaderSize || le16(node, kEhMagicAt) != kExtentMagic) corrupt(what, "bad extent header");
    const uint16_t entries = le16(node, kEhEntriesAt), depth = le16(node, kEhDepthAt);
    if (kExtentHeaderSize + static_cast<size_t>(entries) * kExtentEntrySize > node.size() ||
        le16(node, kEhMaxAt) < entries) {
        corrupt(what, "extent node claims more entries than it holds");
    }
    if (depth > 0 && depth_budget == 0) corrupt(what, "extent tree deeper than " + std::to_string(kMaxExtentDepth));
    for (uint16_t i = 0; i < entries; ++i) {
        const Bytes e = node.subspan(kExtentHeaderSize + static_cast<size_t>(i) * kExtentEntrySize, kExtentEntrySize);
        static_assert(kEeBlockAt == kEiBlockAt);
        const uint64_t logical = le32(e, kEeBlockAt);
        if (logical >= limit) continue;
        if (depth > 0) {
            const uint64_t child = le32(e, kEiLeafLoAt) | static_cast<uint64_t>(le16(e, kEiLeafHiAt)) << 32;
            const std::vector<uint8_t> block = read_block(v, child, what);
            map_extents(v, block, depth_budget - 1, limit, map, what);
            continue;
        }
        const uint16_t raw_len = le16(e, kEeLenAt);
        const bool initialised = raw_len <= kExtentInitMax;
        const uint64_t len = initialised ? raw_len : raw_len - kExtentInitMax;
        const uint64_t start = le32(e, kEeStartLoAt) | static_cast<uint64_t>(le16(e, kEeStartHiAt)) << 32;
        if (initialised && start + len > v.super().blocks_count) corrupt(what, "extent outside the file system");
        for (uint64_t k = 0; k < len && logical + k < limit; ++k) (*map)[logical + k] = initialised ? start + k : 0;
    }
}

// Classic ext2/3 block map: 12 direct pointers, then single, double and triple indirect blocks.
void map_indirect(const Volume& v, uint64_t block, int level, uint64_t* logical, uint64_t limit, BlockMap* map,
                  const std::string& what) {
    const uint64_t per_block = v.super().block_size / 4;
    uint64_t span = 1;
    for (int i = 0; i < level; ++i) span *= per_block;
    if (block == 0) {  // a hole covering the whole subtree
        *logical += span;
        return;
    }
    if (level == 0) {
        (*map)[(*logical)++] = block;
        return;
    }
    const std::vector<uint8_t> ptrs = read_block(v, block, what);
    for (uint64_t i = 0; i < per_block && *logical < limit; ++i) {
        map_indirect(v, le32(ptrs, i * 4), level - 1, logical, limit, map, what);
    }
}

BlockMap map_blocks(const Volume& v, const Inode& inode, uint64_t limit) {
    const std::string what = "inode " + std::to_string(inode.number);
    BlockMap map;
    if (inode.flags & kFlagInlineData) fail_input(what, "inline data is not supported");
    if (inode.flags & kFlagExtents) {
        map_extents(v, inode.block, kMaxExtentDepth, limit, &map, what);
        return map;
    }
    uint64_t logical = 0;
    for (int i = 0; i < 12 && logical < limit; ++i) map_indirect(v, le32(inode.block, i * 4), 0, &logical, limit, &map, what);
    for (int level = 1; level <= 3 && logical < limit; ++level) {
        map_indirect(v, le32(inode.block, (11 + level) * 4), level, &logical, limit, &map, what);
    }
    return map;
}

std::string read_data(const Volume& v, const Inode& inode, uint64_t max_bytes) {
    const uint64_t bs = v.super().block_size;
    const uint64_t bytes = std::min<uint64_t>(inode.size, max_bytes);
    const uint64_t blocks = (bytes + bs - 1) / bs;
    const BlockMap map = map_blocks(v, inode, blocks);
    std::string data(blocks * bs, '\0');
    for (const auto& [logical, physical] : map) {
        if (physical == 0 || logical >= blocks) continue;
        const std::vector<uint8_t> block = read_block(v, physical, "inode " + std::to_string(inode.number));
        std::copy(block.begin(), block.end(), data.begin() + logical * bs);
    }
    data.resize(bytes);
    return data;
}

// Calls fn(name, inode) for each used entry of directory `dir`, in the order stored, until fn
// returns true.
void for_each_entry(const Volume& v, const Inode& dir, const std::function<bool(std::string_view, uint32_t)>& fn) {
    const std::string what = "directory inode " + std::to_string(dir.number);
    // No directory is larger than its file system: a lying i_size allocates no more than that.
    const uint64_t fs_bytes = v.super().blocks_count * v.super().block_size;
    const std::string data = read_data(v, dir, std::min<uint64_t>(kMaxDirectoryBytes, fs_bytes));
    const size_t bs = v.super().block_size;
    const Bytes bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    for (size_t block = 0; block < data.size(); block += bs) {
        size_t pos = 0;
        const size_t end = std::min(bs, data.size() - block);
        while (pos + kDirentHeaderSize <= end) {
            const Bytes e = bytes.subspan(block + pos);
            const uint32_t inode = le32(e, kDInodeAt);
            const uint16_t rec_len = le16(e, kDRecLenAt);
            const uint8_t name_len = e[kDNameLenAt];
            if (rec_len < kDirentHeaderSize || pos + rec_len > end || kDNameAt + name_len > rec_len) {
                corrupt(what, "bad directory entry");
            }
            if (inode != 0 && fn(std::string_view(reinterpret_cast<const char*>(e.data()) + kDNameAt, name_len), inode)) {
                return;
            }
            pos += rec_len;
        }
    }
}

// The inode at `path`, or nullopt when a component is missing or not a directory.
std::optional<Inode> resolve(const Volume& v, std::string_view path) {
    Inode inode = read_inode(v, kRootInode);
    if ((inode.mode & kModeTypeMask) != kModeDirectory) corrupt("inode 2", "the root is not a directory");
    for (const std::string_view part : path_components(path)) {
        if ((inode.mode & kModeTypeMask) != kModeDirectory) return std::nullopt;
        uint32_t next = 0;
        for_each_entry(v, inode, [&](std::string_view name, uint32_t number) {
            if (name == part) next = number;
            return next != 0;
        });
        if (next == 0) return std::nullopt;
        inode = read_inode(v, next);
    }
    return inode;
}

}  // namespace

std::optional<std::string> read_file(const Volume& v, std::string_view path, size_t max_bytes) {
    const std::optional<Inode> inode = resolve(v, path);
    if (!inode || (inode->mode & kModeTypeMask) != kModeRegular) return std::nullopt;
    return read_data(v, *inode, max_bytes);
}

std::optional<std::vector<std::string>> list_dir(const Volume& v, std::string_view path) {
    const std::optional<Inode> inode = resolve(v, path);
    if (!inode || (inode->mode & kModeTypeMask) != kModeDirectory) return std::nullopt;
    std::vector<std::string> names;
    for_each_entry(v, *inode, [&](std::string_view name, uint32_t) {
        if (name != "." && name != "..") names.emplace_back(name);
        return false;
    });
    return names;
}

}  // namespace mtkfw::ext4
