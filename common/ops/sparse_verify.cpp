#include "ops/sparse_verify.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "io/window.h"

namespace mtkfw::sparse {
namespace {

constexpr size_t kCompareBytes = 4u << 20;

std::string at(uint32_t chunk, uint64_t offset) {
    return "chunk " + std::to_string(chunk) + " at byte " + std::to_string(offset);
}

// The first byte where `a` differs from `b` (both at least a.size() long).
size_t mismatch(Bytes a, Bytes b) {
    return static_cast<size_t>(std::mismatch(a.begin(), a.end(), b.begin()).first - a.begin());
}

}  // namespace

Summary verify(Input& image, const Input& dump, uint64_t offset, uint64_t size, const UsedRange& used) {
    const std::string& what = image.name();
    std::vector<uint8_t> head(kFileHeaderSize);
    image.read_exact(head.data(), head.size());
    const FileHeader file = parse_file_header(head, what);
    image.skip(file.file_hdr_sz - kFileHeaderSize);
    const uint64_t blk = file.blk_sz;
    if (static_cast<uint64_t>(file.total_blks) * blk != size) {
        fail_input(what, "covers " + std::to_string(static_cast<uint64_t>(file.total_blks) * blk) +
                             " bytes, the partition has " + std::to_string(size));
    }
    if (offset + size > dump.size()) fail_input(dump.name(), "ends before the partition does");

    Summary s;
    s.blk_sz = file.blk_sz;
    s.total_blocks = file.total_blks;
    // The compared bytes are mapped from the page cache where possible: no copy for either side.
    Window mine_window, dump_window;
    std::vector<uint8_t> filled(kCompareBytes);  // zeros, then the last FILL pattern
    uint8_t filled_with[4] = {0, 0, 0, 0};
    uint64_t block = 0;
    for (uint32_t n = 1; n <= file.total_chunks; ++n) {
        const uint64_t chunk_at = image.position();
        uint8_t raw_header[kChunkHeaderSize];
        image.read_exact(raw_header, sizeof raw_header);
        const ChunkHeader c = parse_chunk_header(Bytes(raw_header, sizeof raw_header), file, n, chunk_at, what);
        image.skip(file.chunk_hdr_sz - kChunkHeaderSize);
        const uint64_t bytes = static_cast<uint64_t>(c.chunk_sz) * blk;
        if (block + c.chunk_sz > file.total_blks) fail_input(what, at(n, chunk_at) + ": runs past total_blks");
        const uint64_t first = block * blk;  // byte in the partition
        switch (static_cast<ChunkType>(c.type)) {
            case ChunkType::raw:
                for (uint64_t done = 0; done < bytes;) {
                    const size_t k = static_cast<size_t>(std::min<uint64_t>(kCompareBytes, bytes - done));
                    const Bytes mine = mine_window.next(image, k);
                    const Bytes theirs = dump_window.at(dump, offset + first + done, k);
                    if (std::memcmp(mine.data(), theirs.data(), k) != 0) {
                        fail_input(what, at(n, chunk_at) + " (RAW): differs from the dump at partition byte " +
                                             std::to_string(first + done + mismatch(mine, theirs)));
                    }
                    done += k;
                }
                ++s.raw_chunks;
                s.raw_blocks += c.chunk_sz;
                break;
            case ChunkType::fill: {
                uint8_t pattern[4];
                image.read_exact(pattern, 4);
                if (std::memcmp(pattern, filled_with, 4) != 0) {
                    for (size_t i = 0; i < filled.size(); i += 4) std::memcpy(filled.data() + i, pattern, 4);
                    std::memcpy(filled_with, pattern, 4);
                }
                for (uint64_t done = 0; done < bytes;) {
                    const size_t k = static_cast<size_t>(std::min<uint64_t>(kCompareBytes, bytes - done));
                    const Bytes theirs = dump_window.at(dump, offset + first + done, k);
                    if (std::memcmp(theirs.data(), filled.data(), k) != 0) {
                        fail_input(what, at(n, chunk_at) + " (FILL): the dump differs at partition byte " +
                                             std::to_string(first + done + mismatch(theirs, filled)));
                    }
                    done += k;
                }
                ++s.fill_chunks;
                s.fill_blocks += c.chunk_sz;
                break;
            }
            case ChunkType::dont_care:
                if (used && used(first, bytes)) {
                    fail_input(what, at(n, chunk_at) + " (DONT_CARE): skips used blocks between partition bytes " +
                                         std::to_string(first) + " and " + std::to_string(first + bytes));
                }
                ++s.dont_care_chunks;
                s.dont_care_blocks += c.chunk_sz;
                break;
            case ChunkType::crc32:
                image.skip(4);
                ++s.crc_chunks;
                break;
        }
        block += c.chunk_sz;
    }
    if (block != file.total_blks) {
        fail_input(what, "chunks cover " + std::to_string(block) + " blocks, total_blks says " +
                             std::to_string(file.total_blks));
    }
    uint8_t extra;
    if (image.read(&extra, 1) != 0) fail_input(what, "data after the last chunk");
    s.file_bytes = image.position();
    return s;
}

UsedRange used_range(const ext4::Volume& volume) {
    struct Cache {
        uint32_t group = UINT32_MAX;
        std::vector<uint8_t> bits;
    };
    auto cache = std::make_shared<Cache>();
    return [&volume, cache](uint64_t first, uint64_t length) {
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
