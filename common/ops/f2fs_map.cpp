#include "ops/f2fs_map.h"

#include <algorithm>
#include <bit>
#include <memory>

namespace mtkfw::f2fs {

namespace {
constexpr uint64_t kCpAreaBlocks = 2 * kBlocksPerSeg;  // segment_count_ckpt is 2
}

// ---- Map ----

bool Map::segment_block(uint32_t segno, uint32_t block) const {
    switch (state_[segno]) {
        case free_seg: return false;
        case full_seg:
        case current_seg: return true;
        default: break;
    }
    const auto it = std::lower_bound(partial_.begin(), partial_.end(), segno,
                                     [](const auto& p, uint32_t s) { return p.first < s; });
    return map_bit(it->second, block);
}

void Map::runs(uint64_t from, uint64_t to, const RunFn& fn) const {
    uint64_t run_first = from, run_count = 0;
    bool run_used = false, go = true;
    auto add = [&](uint64_t first, uint64_t count, bool used) {
        if (!go || count == 0) return;
        if (run_count && used != run_used) {
            go = fn(run_first, run_count, run_used);
            run_count = 0;
            if (!go) return;
        }
        if (!run_count) {
            run_first = first;
            run_used = used;
        }
        run_count += count;
    };
    const uint64_t main = sb_.main_blkaddr, main_end = sb_.main_end();
    if (from < main) add(from, std::min(to, main) - from, true);
    for (uint64_t b = std::max(from, main); b < std::min(to, main_end) && go;) {
        const uint32_t segno = static_cast<uint32_t>((b - main) / kBlocksPerSeg);
        const uint64_t seg_first = main + static_cast<uint64_t>(segno) * kBlocksPerSeg;
        const uint64_t end = std::min(to, seg_first + kBlocksPerSeg);
        if (state_[segno] != partial_seg) {
            add(b, end - b, state_[segno] != free_seg);
        } else {
            for (; b < end; ++b) add(b, 1, segment_block(segno, static_cast<uint32_t>(b - seg_first)));
        }
        b = end;
    }
    if (to > main_end) add(std::max(from, main_end), to - std::max(from, main_end), true);
    if (go && run_count) fn(run_first, run_count, run_used);
}

sparse::UsedRange Map::used_range() const {
    return [this](uint64_t first, uint64_t length) {
        if (length == 0) return false;
        bool used = false;
        const uint64_t last = (first + length - 1) / kBlockSize;
        runs(first / kBlockSize, last + 1, [&](uint64_t, uint64_t, bool u) {
            used = used || u;
            return !used;
        });
        return used;
    };
}

// ---- MapBuilder ----

MapBuilder::MapBuilder(Bytes first, const std::string& what, Notices& notices) : what_(what), notices_(notices) {
    map_.sb_ = pick_superblock(first, what, notices);
}

void MapBuilder::checkpoint_area(Bytes area) {
    const Superblock& sb = map_.sb_;
    const size_t seg = kBlocksPerSeg * static_cast<size_t>(kBlockSize);
    auto pack = [&](size_t i) { return area.size() > i * seg ? area.subspan(i * seg, std::min(seg, area.size() - i * seg)) : Bytes(); };
    map_.cp_ = pick_checkpoint(pack(0), pack(1), sb, what_);
    have_cp_ = true;
    if (!(map_.cp_.flags & kCpUmountFlag)) {
        notices_.push_back({Notice::Level::warning,
                            what_ + ": the f2fs was not unmounted cleanly: data fsync'd after its last checkpoint "
                                    "(recovered by the kernel at the next mount) is not in the SIT and is left out",
                            Remedy::copy_every_block});
    }
    map_.state_.assign(sb.segment_count_main, Map::free_seg);
    sit_seen_.assign(sit_blocks_needed(), false);
}

uint32_t MapBuilder::sit_blocks_needed() const {
    return static_cast<uint32_t>((map_.sb_.segment_count_main + kSitEntriesPerBlock - 1) / kSitEntriesPerBlock);
}

uint64_t MapBuilder::sit_block_address(uint32_t index) const {
    // current_sit_addr: the second copy when the bitmap's bit is set.
    return map_.sb_.sit_blkaddr + index + (map_.cp_.sit_in_second_copy(index) ? map_.sb_.sit_blocks() : 0);
}

void MapBuilder::sit_block(uint32_t index, Bytes block) {
    if (index >= sit_seen_.size() || sit_seen_[index]) return;
    sit_seen_[index] = true;
    const uint32_t main = map_.sb_.segment_count_main;
    for (size_t k = 0; k < kSitEntriesPerBlock; ++k) {
        const uint64_t segno = static_cast<uint64_t>(index) * kSitEntriesPerBlock + k;
        if (segno >= main) break;
        const SitEntry e = parse_sit_entry(block.subspan(k * kSitEntrySize, kSitEntrySize), static_cast<uint32_t>(segno),
                                           what_ + ": SIT block " + std::to_string(sit_block_address(index)));
        if (e.valid == 0) continue;
        map_.state_[segno] = e.valid == kBlocksPerSeg ? Map::full_seg : Map::partial_seg;
        if (e.valid != kBlocksPerSeg) map_.partial_.emplace_back(static_cast<uint32_t>(segno), e.map);
    }
}

void MapBuilder::observe_block(uint64_t block, Bytes data) {
    const Superblock& sb = map_.sb_;
    if (block >= sb.cp_blkaddr && block < sb.cp_blkaddr + kCpAreaBlocks && !have_cp_) {
        cp_area_.insert(cp_area_.end(), data.begin(), data.end());
        if (block + 1 == sb.cp_blkaddr + kCpAreaBlocks) {
            checkpoint_area(cp_area_);
            std::vector<uint8_t>().swap(cp_area_);
        }
        return;
    }
    if (!have_cp_ || block < sb.sit_blkaddr || block >= sb.sit_blkaddr + 2ull * sb.sit_blocks()) return;
    const uint64_t rel = block - sb.sit_blkaddr;
    const uint32_t index = static_cast<uint32_t>(rel % sb.sit_blocks());
    if (sit_block_address(index) == block) sit_block(index, data);
}

void MapBuilder::observe(uint64_t first, Bytes data) {
    for (size_t at = 0; at + kBlockSize <= data.size(); at += kBlockSize) {
        observe_block(first + at / kBlockSize, data.subspan(at, kBlockSize));
    }
}

Map MapBuilder::finish() {
    if (!have_cp_) fail_input(what_, "truncated: ends in the f2fs checkpoint area", Remedy::copy_every_block);
    const auto missing = std::find(sit_seen_.begin(), sit_seen_.end(), false);
    if (missing != sit_seen_.end()) {
        fail_input(what_, "truncated: SIT block " + std::to_string(sit_block_address(static_cast<uint32_t>(missing - sit_seen_.begin()))) +
                              " was not read", Remedy::copy_every_block);
    }
    Map& m = map_;
    // The journal is newer than the SIT blocks: its entries replace theirs (the last one kept).
    for (const auto& [segno, e] : m.cp_.journal) {
        m.state_[segno] = e.valid == 0 ? Map::free_seg : e.valid == kBlocksPerSeg ? Map::full_seg : Map::partial_seg;
        if (m.state_[segno] == Map::partial_seg) m.partial_.emplace_back(segno, e.map);
    }
    std::stable_sort(m.partial_.begin(), m.partial_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // Keep the last entry of each segment, and only those still partial.
    std::vector<std::pair<uint32_t, std::array<uint8_t, kSitMapSize>>> kept;
    for (size_t i = 0; i < m.partial_.size(); ++i) {
        if (i + 1 < m.partial_.size() && m.partial_[i + 1].first == m.partial_[i].first) continue;
        if (m.state_[m.partial_[i].first] == Map::partial_seg) kept.push_back(m.partial_[i]);
    }
    m.partial_ = std::move(kept);
    m.valid_ = 0;
    for (uint8_t s : m.state_) m.valid_ += s == Map::full_seg ? kBlocksPerSeg : 0;
    for (const auto& [segno, bits] : m.partial_) {
        for (uint8_t byte : bits) m.valid_ += std::popcount(byte);
    }
    for (uint32_t segno : m.cp_.cursegs) m.state_[segno] = Map::current_seg;  // after counting: SIT's count
    return std::move(m);
}

bool looks_like_f2fs(const Input& in, uint64_t offset, uint64_t size) {
    std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(size, 2 * kBlockSize)));
    in.read_at(head.data(), head.size(), offset);
    return has_f2fs_magic(head);
}

Map read_map(const Input& in, uint64_t offset, uint64_t size, Notices& notices) {
    std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(size, 2 * kBlockSize)));
    in.read_at(head.data(), head.size(), offset);
    MapBuilder b(head, in.name(), notices);
    const Superblock& sb = b.super();
    check_fits(sb, size, in.name());
    std::vector<uint8_t> area(kCpAreaBlocks * kBlockSize);
    in.read_at(area.data(), area.size(), offset + static_cast<uint64_t>(sb.cp_blkaddr) * kBlockSize);
    b.checkpoint_area(area);
    std::vector<uint8_t> block(kBlockSize);
    for (uint32_t i = 0; i < b.sit_blocks_needed(); ++i) {
        in.read_at(block.data(), block.size(), offset + b.sit_block_address(i) * kBlockSize);
        b.sit_block(i, block);
    }
    return b.finish();
}

}  // namespace mtkfw::f2fs
