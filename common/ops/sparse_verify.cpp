#include "ops/sparse_verify.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "io/window.h"
#include "ops/sparse_reader.h"

namespace mtkfw::sparse {
namespace {

constexpr size_t kCompareBytes = 4u << 20;

// The first byte where `a` differs from `b` (both at least a.size() long).
size_t mismatch(Bytes a, Bytes b) {
    return static_cast<size_t>(std::mismatch(a.begin(), a.end(), b.begin()).first - a.begin());
}

// Compares each chunk with the partition it claims to copy.
class Comparer {
public:
    Comparer(ChunkReader& chunks, const Input& dump, uint64_t offset, const UsedRange& used)
        : chunks_(chunks), dump_(dump), offset_(offset), used_(used), blk_sz_(chunks.header().blk_sz) {}

    void check(const Chunk& c) {
        const uint64_t first = c.first_block * blk_sz_;  // byte in the partition
        const uint64_t bytes = static_cast<uint64_t>(c.blocks) * blk_sz_;
        switch (c.type) {
            case ChunkType::raw:
                compare(c, first, bytes, [&](size_t k) { return chunks_.map_raw(k); });
                break;
            case ChunkType::fill:
                compare(c, first, bytes, [&](size_t k) { return filled(c.value, k); });
                break;
            case ChunkType::dont_care:
                if (used_ && used_(first, bytes)) {
                    fail_input(c.where + " (DONT_CARE)", "skips used blocks between partition bytes " +
                                                             std::to_string(first) + " and " + std::to_string(first + bytes));
                }
                break;
            case ChunkType::crc32: break;
        }
    }

private:
    // What the chunk writes, `piece(k)` k bytes at a time, against the dump from partition byte `first`.
    template <typename Piece>
    void compare(const Chunk& c, uint64_t first, uint64_t bytes, Piece piece) {
        for (uint64_t done = 0; done < bytes;) {
            const size_t k = static_cast<size_t>(std::min<uint64_t>(kCompareBytes, bytes - done));
            const Bytes mine = piece(k);
            const Bytes theirs = dump_window_.at(dump_, offset_ + first + done, k);
            if (std::memcmp(mine.data(), theirs.data(), k) != 0) {
                fail_input(c.where + " (" + type_name(c.type) + ")",
                           "differs from the dump at partition byte " + std::to_string(first + done + mismatch(mine, theirs)));
            }
            done += k;
        }
    }

    // `k` bytes of `pattern` repeated (the buffer is refilled only when the pattern changes or
    // a longer run is asked for; it grows to kCompareBytes at most, k being at most that).
    Bytes filled(uint32_t pattern, size_t k) {
        if (filled_.size() < k || pattern != filled_with_) {
            filled_.resize(std::max(filled_.size(), k));
            for (size_t i = 0; i < filled_.size(); i += 4) put_le32(filled_.data() + i, pattern);
            filled_with_ = pattern;
        }
        return Bytes(filled_.data(), k);
    }

    ChunkReader& chunks_;
    const Input& dump_;
    const uint64_t offset_;
    const UsedRange& used_;
    const uint32_t blk_sz_;
    // The compared bytes are mapped from the page cache where possible: no copy for either side.
    Window dump_window_;
    std::vector<uint8_t> filled_;
    uint32_t filled_with_ = 0;
};

}  // namespace

Summary verify(Input& image, const Input& dump, uint64_t offset, uint64_t size, const UsedRange& used,
               Notices& notices, DigestStream* tap) {
    ChunkReader chunks(image, tap);
    const FileHeader& file = chunks.header();
    const uint64_t covered = static_cast<uint64_t>(file.total_blks) * file.blk_sz;
    if (covered != size) {
        fail_input(image.name(), "covers " + std::to_string(covered) + " bytes, the partition has " + std::to_string(size));
    }
    if (size > dump.size() || offset > dump.size() - size) fail_input(dump.name(), "ends before the partition does");
    Comparer comparer(chunks, dump, offset, used);
    for (Chunk c; chunks.next(&c);) comparer.check(c);
    return chunks.finish(notices);
}

UsedRange used_range(const ext4::Volume& volume) {
    struct Cache {
        uint32_t group = UINT32_MAX;
        std::vector<uint8_t> bits;
    };
    auto cache = std::make_shared<Cache>();
    return [&volume, cache](uint64_t first, uint64_t length) {
        // An empty range (a DONT_CARE chunk of 0 blocks) holds nothing; first + length - 1
        // would wrap at byte 0 and take in the whole file system.
        if (length == 0) return false;
        const ext4::Superblock& sb = volume.super();
        const uint64_t bs = sb.block_size;
        const uint64_t last = std::min<uint64_t>((first + length - 1) / bs, sb.blocks_count - 1);
        // Blocks before s_first_data_block (the boot sector of a 1 KiB file system) are no
        // group's: the file system does not use them.
        for (uint64_t b = std::max<uint64_t>(first / bs, sb.first_data_block); b <= last;) {
            const uint32_t group = ext4::group_of(sb, b);
            if (group != cache->group) {
                cache->bits = volume.group_used(group);
                cache->group = group;
            }
            const uint64_t group_first = ext4::group_first_block(sb, group);
            const uint64_t end = std::min<uint64_t>(last + 1, group_first + ext4::group_block_count(sb, group)) - group_first;
            if (ext4::find_bit(cache->bits, b - group_first, end, true) < end) return true;
            b = group_first + end;
        }
        return false;
    };
}

}  // namespace mtkfw::sparse
