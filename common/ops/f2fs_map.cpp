#include "ops/f2fs_map.h"

#include <algorithm>
#include <bit>
#include <memory>

namespace mtkfw::f2fs {

namespace {
constexpr uint64_t kCpAreaBlocks = 2 * kBlocksPerSeg;  // segment_count_ckpt is 2
}

// ---- Map ----

Map::State Map::state_of(uint32_t segno, const Bits** bits) const {
    const auto j = std::lower_bound(journal_.begin(), journal_.end(), segno, [](const auto& p, uint32_t s) { return p.first < s; });
    if (!read_block_) {
        const State st = static_cast<State>(state_[segno]);
        if (st == partial_seg) {
            const auto it = std::lower_bound(partial_.begin(), partial_.end(), segno,
                                             [](const auto& p, uint32_t s) { return p.first < s; });
            *bits = &it->second;
        }
        return st;
    }
    if (std::find(cp_.cursegs.begin(), cp_.cursegs.end(), segno) != cp_.cursegs.end()) return current_seg;
    const SitEntry* e = nullptr;
    if (j != journal_.end() && j->first == segno) {
        e = &j->second;
    } else {
        const uint32_t index = static_cast<uint32_t>(segno / kSitEntriesPerBlock);
        if (index != cached_index_) {
            std::vector<uint8_t> block(kBlockSize);
            read_block_(sb_.sit_blkaddr + index + (cp_.sit_in_second_copy(index) ? sb_.sit_blocks() : 0), block.data());
            cached_.clear();
            for (size_t k = 0; k < kSitEntriesPerBlock; ++k) {
                const uint64_t s = static_cast<uint64_t>(index) * kSitEntriesPerBlock + k;
                if (s >= sb_.segment_count_main) break;
                cached_.push_back(parse_sit_entry(Bytes(block).subspan(k * kSitEntrySize, kSitEntrySize),
                                                  static_cast<uint32_t>(s), "SIT block"));
            }
            cached_index_ = index;
        }
        e = &cached_[segno % kSitEntriesPerBlock];
    }
    *bits = &e->map;
    return state_for(e->valid);
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
        const Bits* bits = nullptr;
        const State st = state_of(segno, &bits);
        if (st != partial_seg) {
            add(b, end - b, st != free_seg);
        } else {
            for (; b < end; ++b) add(b, 1, map_bit(*bits, static_cast<uint32_t>(b - seg_first)));
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

MapBuilder::MapBuilder(Bytes first, const std::string& what, Notices& notices, bool keep_sit)
    : keep_sit_(keep_sit), what_(what), notices_(notices) {
    map_.sb_ = pick_superblock(first, what, notices);
}

void MapBuilder::checkpoint_area(Bytes area) {
    const size_t seg = kBlocksPerSeg * static_cast<size_t>(kBlockSize);
    auto pack = [&](size_t i) { return area.size() > i * seg ? area.subspan(i * seg, std::min(seg, area.size() - i * seg)) : Bytes(); };
    checkpoint_packs(pack(0), pack(1));
}

void MapBuilder::checkpoint_packs(Bytes pack1, Bytes pack2) {
    const Superblock& sb = map_.sb_;
    map_.cp_ = pick_checkpoint(pack1, pack2, sb, what_);
    have_cp_ = true;
    if (!(map_.cp_.flags & kCpUmountFlag)) {
        notices_.push_back({Notice::Level::warning,
                            what_ + ": the f2fs was not unmounted cleanly: data fsync'd after its last checkpoint "
                                    "(recovered by the kernel at the next mount) is not in the SIT and is left out",
                            Remedy::copy_every_block});
    }
    // The journal, newer than the SIT blocks: the last entry of each segment.
    for (auto it = map_.cp_.journal.rbegin(); it != map_.cp_.journal.rend(); ++it) {
        if (!journaled(it->first)) {
            map_.journal_.push_back(*it);
            std::sort(map_.journal_.begin(), map_.journal_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        }
    }
    if (keep_sit_) map_.state_.assign(sb.segment_count_main, Map::free_seg);
    sit_seen_.assign(sit_blocks_needed(), false);
}

bool MapBuilder::journaled(uint32_t segno) const {
    return std::any_of(map_.journal_.begin(), map_.journal_.end(), [&](const auto& j) { return j.first == segno; });
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
        if (e.valid == 0 || journaled(static_cast<uint32_t>(segno))) continue;
        map_.valid_ += e.valid;
        if (keep_sit_) keep(static_cast<uint32_t>(segno), e);
    }
}

void MapBuilder::keep(uint32_t segno, const SitEntry& e) {
    Map::State st = Map::state_for(e.valid);
    if (st == Map::partial_seg && map_.partial_.size() >= kMaxPartialSegments) {
        st = Map::full_seg;
        capped_ = true;
    }
    map_.state_[segno] = st;
    if (st == Map::partial_seg) map_.partial_.emplace_back(segno, e.map);
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

void MapBuilder::check_complete() const {
    if (!have_cp_) fail_input(what_, "truncated: ends in the f2fs checkpoint area", Remedy::copy_every_block);
    const auto missing = std::find(sit_seen_.begin(), sit_seen_.end(), false);
    if (missing != sit_seen_.end()) {
        fail_input(what_, "truncated: SIT block " + std::to_string(sit_block_address(static_cast<uint32_t>(missing - sit_seen_.begin()))) +
                              " was not read", Remedy::copy_every_block);
    }
}

Map MapBuilder::finish() {
    check_complete();
    Map& m = map_;
    for (const auto& [segno, e] : m.journal_) {
        m.valid_ += e.valid;
        keep(segno, e);
    }
    if (capped_) {
        notices_.push_back({Notice::Level::warning,
                            what_ + ": more than " + std::to_string(kMaxPartialSegments) +
                                " partly valid segments read from a pipe: the later ones are kept whole (their invalid "
                                "blocks stored too); given as a file, they are left out"});
    }
    std::sort(m.partial_.begin(), m.partial_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (uint32_t segno : m.cp_.cursegs) m.state_[segno] = Map::current_seg;  // after counting: SIT's count
    return std::move(m);
}

Map MapBuilder::finish_lazy(std::function<void(uint64_t block, uint8_t* buf)> read_block) {
    check_complete();
    for (const auto& [segno, e] : map_.journal_) map_.valid_ += e.valid;
    map_.read_block_ = std::move(read_block);
    return std::move(map_);
}

bool looks_like_f2fs(const Input& in, uint64_t offset, uint64_t size) {
    std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(size, 2 * kBlockSize)));
    in.read_at(head.data(), head.size(), offset);
    return has_f2fs_magic(head);
}

Map read_map(const Input& in, uint64_t offset, uint64_t size, Notices& notices) {
    std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(size, 2 * kBlockSize)));
    in.read_at(head.data(), head.size(), offset);
    MapBuilder b(head, in.name(), notices, false);
    const Superblock& sb = b.super();
    check_fits(sb, size, in.name());
    // Each pack as long as its first block says (cp_pack_total_block_count, 512 at most).
    std::vector<uint8_t> packs[2];
    for (int i = 0; i < 2; ++i) {
        const uint64_t at = offset + (static_cast<uint64_t>(sb.cp_blkaddr) + i * kBlocksPerSeg) * kBlockSize;
        packs[i].resize(kBlockSize);
        in.read_at(packs[i].data(), kBlockSize, at);
        const uint32_t total = le32(packs[i], kCpPackTotalAt);
        if (total < 2 || total > kBlocksPerSeg) continue;  // pick_checkpoint says why
        packs[i].resize(static_cast<size_t>(total) * kBlockSize);
        in.read_at(packs[i].data() + kBlockSize, packs[i].size() - kBlockSize, at + kBlockSize);
    }
    b.checkpoint_packs(packs[0], packs[1]);
    std::vector<uint8_t> block(kBlockSize);
    for (uint32_t i = 0; i < b.sit_blocks_needed(); ++i) {
        in.read_at(block.data(), block.size(), offset + b.sit_block_address(i) * kBlockSize);
        b.sit_block(i, block);
    }
    return b.finish_lazy([&in, offset](uint64_t at, uint8_t* buf) { in.read_at(buf, kBlockSize, offset + at * kBlockSize); });
}

}  // namespace mtkfw::f2fs
