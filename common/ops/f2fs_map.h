// Which 4096-byte blocks of an f2fs partition are valid: the one definition of "used" that both
// the sparse encoder (ops/f2fs_source.h) and the verifier (ops/sparse_verify.h) apply.
// doc/FORMATS.md "The sparse f2fs"; the structures: format/f2fs.h.
//
// Blocks of the partition, in ascending order:
//  - [0, main_blkaddr): used (both superblocks, the padding before segment 0, the checkpoint
//    packs, both SIT and NAT copies, the SSA);
//  - the main area, segment by segment: the current segments (three node, three data, as the
//    checkpoint names them) used whole, whatever their SIT entry says (f2fs writes past the
//    checkpoint there first); any other segment: the blocks whose bit is set in its SIT entry
//    (the current copy per the checkpoint's SIT version bitmap, or the SIT journal's entry, which
//    is newer), the others free;
//  - [main end, end of the range): used (the tail of the last section, blocks past block_count up
//    to the partition's end: f2fs does not use them, but a phone's tools may; a few blocks).
//
// Memory: one byte per main segment (free, full or partial; 131,072 for 256 GiB) and the 64-byte
// valid map of each partially valid segment (at most 8 MiB for 256 GiB if every segment were
// partial, 32 MiB for 1 TiB), the checkpoint area while it is read (4 MiB); no SIT block is kept.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/failure.h"
#include "format/f2fs.h"
#include "io/input.h"
#include "ops/sparse_verify.h"

namespace mtkfw::f2fs {

class Map {
public:
    const Superblock& super() const { return sb_; }
    const Checkpoint& checkpoint() const { return cp_; }
    uint64_t valid_blocks() const { return valid_; }  // main-area blocks the SIT marks valid

    // Calls fn(first, count, used) for consecutive runs covering blocks [from, to) of the
    // partition in ascending order (blocks at or past main_end() are used); two runs in a row
    // differ in status.  Stops when fn returns false.
    using RunFn = std::function<bool(uint64_t first, uint64_t count, bool used)>;
    void runs(uint64_t from, uint64_t to, const RunFn& fn) const;
    // The map as the verifier's UsedRange (byte ranges of the partition; the map must outlive it).
    sparse::UsedRange used_range() const;

private:
    friend class MapBuilder;
    enum State : uint8_t { free_seg, full_seg, partial_seg, current_seg };
    bool segment_block(uint32_t segno, uint32_t block) const;

    Superblock sb_;
    Checkpoint cp_;
    std::vector<uint8_t> state_;  // per main segment
    std::vector<std::pair<uint32_t, std::array<uint8_t, kSitMapSize>>> partial_;  // sorted by segno
    uint64_t valid_ = 0;
};

// The map, learnt from the metadata areas: first the partition's first two blocks (both
// superblocks), then the checkpoint area (two segments), then the current copy of each SIT
// block, in any order.  A pipe hands it every block before main_blkaddr (observe); a file only
// what it asks for (read_map).
class MapBuilder {
public:
    // `first_blocks`: the first 8192 bytes (fewer: the backup superblock cannot help).
    MapBuilder(Bytes first_blocks, const std::string& what, Notices& notices);
    const Superblock& super() const { return map_.sb_; }

    void checkpoint_area(Bytes area);  // blocks [cp_blkaddr, cp_blkaddr + 1024), fewer if cut
    // The block of the current copy of SIT block `index` (after checkpoint_area).
    uint64_t sit_block_address(uint32_t index) const;
    uint32_t sit_blocks_needed() const;  // SIT blocks holding an entry of a main segment
    void sit_block(uint32_t index, Bytes block);

    // Blocks [first, first + data.size() / 4096) of the partition, ascending, each once, starting
    // at 0 and ending at main_blkaddr: the builder keeps what it needs of them.
    void observe(uint64_t first, Bytes data);

    // The map, once every needed SIT block came; Failure otherwise.
    Map finish();

private:
    void observe_block(uint64_t block, Bytes data);

    const std::string what_;
    Notices& notices_;
    Map map_;
    bool have_cp_ = false;
    std::vector<uint8_t> cp_area_;   // a pipe's checkpoint area while it passes
    std::vector<bool> sit_seen_;
};

// An f2fs superblock magic at byte 1024 of the range (a seekable input): the range is f2fs.
bool looks_like_f2fs(const Input& in, uint64_t offset, uint64_t size);

// A seekable partition's map: the superblocks, the checkpoint area and the current SIT copy read.
Map read_map(const Input& in, uint64_t offset, uint64_t size, Notices& notices);

}  // namespace mtkfw::f2fs
