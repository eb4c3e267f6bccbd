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
// Memory: from a file, the two checkpoint packs while they are read (up to 2 x 2 MiB), the
// journal and one SIT block:
// the SIT is read once to check and count it, and again block by block as runs() advances.  From
// a pipe (which cannot go back) one byte per main segment (131,072 for 256 GiB) and the 64-byte
// valid map of each partially valid segment (8.5 MiB for 256 GiB if every segment were partial),
// at most kMaxPartialSegments of them (27 MiB): past that a partial segment is kept whole (its
// invalid blocks stored, never a valid one lost) with a warning, so that even the largest f2fs
// (F2FS_MAX_SEGMENT, 16 TiB: 8 MiB of states) stays under 64 MiB.
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

constexpr size_t kMaxPartialSegments = 400000;  // a pipe's kept valid maps (68 bytes each)

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
    using Bits = std::array<uint8_t, kSitMapSize>;
    static State state_for(uint16_t valid) { return valid == 0 ? free_seg : valid == kBlocksPerSeg ? full_seg : partial_seg; }
    // Segment `segno`'s state and, when partial, its valid map (valid until the next call).
    State state_of(uint32_t segno, const Bits** bits) const;

    Superblock sb_;
    Checkpoint cp_;
    std::vector<std::pair<uint32_t, SitEntry>> journal_;  // sorted by segno, one entry each
    uint64_t valid_ = 0;
    // A pipe: every segment's state and the partial ones' maps (sorted by segno).
    std::vector<uint8_t> state_;
    std::vector<std::pair<uint32_t, Bits>> partial_;
    // A file: SIT blocks read again as runs() reaches them, one kept.
    std::function<void(uint64_t block, uint8_t* buf)> read_block_;
    mutable uint32_t cached_index_ = UINT32_MAX;
    mutable std::vector<SitEntry> cached_;
};

// The map, learnt from the metadata areas: first the partition's first two blocks (both
// superblocks), then the checkpoint area (two segments), then the current copy of each SIT
// block, in any order.  A pipe hands it every block before main_blkaddr (observe); a file only
// what it asks for (read_map).
class MapBuilder {
public:
    // `first_blocks`: the first 8192 bytes (fewer: the backup superblock cannot help).  Without
    // `keep_sit`, SIT blocks are checked and counted but not kept (finish_lazy reads them again).
    MapBuilder(Bytes first_blocks, const std::string& what, Notices& notices, bool keep_sit = true);
    const Superblock& super() const { return map_.sb_; }

    void checkpoint_area(Bytes area);  // blocks [cp_blkaddr, cp_blkaddr + 1024), fewer if cut
    void checkpoint_packs(Bytes pack1, Bytes pack2);  // the same, each pack from its first block
    // The block of the current copy of SIT block `index` (after checkpoint_area).
    uint64_t sit_block_address(uint32_t index) const;
    uint32_t sit_blocks_needed() const;  // SIT blocks holding an entry of a main segment
    void sit_block(uint32_t index, Bytes block);

    // Blocks [first, first + data.size() / 4096) of the partition, ascending, each once, starting
    // at 0 and ending at main_blkaddr: the builder keeps what it needs of them.
    void observe(uint64_t first, Bytes data);

    // The map, once every needed SIT block came; Failure otherwise.
    Map finish();
    // Without keep_sit: the map reads each SIT block again with `read_block` when it needs it.
    Map finish_lazy(std::function<void(uint64_t block, uint8_t* buf)> read_block);

private:
    void observe_block(uint64_t block, Bytes data);
    // Segment `segno` (a pipe) has `e.valid` valid blocks: its state, and its map when partial.
    void keep(uint32_t segno, const SitEntry& e);
    void check_complete() const;
    bool journaled(uint32_t segno) const;

    const bool keep_sit_;
    const std::string what_;
    Notices& notices_;
    Map map_;
    bool have_cp_ = false;
    std::vector<uint8_t> cp_area_;   // a pipe's checkpoint area while it passes
    std::vector<bool> sit_seen_;
    bool capped_ = false;  // kMaxPartialSegments reached: later partial segments kept whole
};

// An f2fs superblock magic at byte 1024 of the range (a seekable input): the range is f2fs.
bool looks_like_f2fs(const Input& in, uint64_t offset, uint64_t size);

// A seekable partition's map: the superblocks, the checkpoint area and the current SIT copy read.
Map read_map(const Input& in, uint64_t offset, uint64_t size, Notices& notices);

}  // namespace mtkfw::f2fs
