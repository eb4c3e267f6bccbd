#include "ops/super_map.h"

#include <algorithm>
#include <utility>

#include "format/content.h"
#include "ops/block_source.h"
#include "ops/content.h"
#include "ops/ext4_volume.h"

namespace mtkfw::lp {

// ---- SpanMap: views into spans -------------------------------------------------------------

SpanMap::SpanMap(std::vector<View> views, std::vector<bool> whole, UsedFn used)
    : views_(std::move(views)), whole_(std::move(whole)), used_(std::move(used)) {
    constexpr uint64_t B = kSuperBlockBytes;
    // Sweep over the block boundaries of every view (first rounded down, end rounded up).
    struct Event {
        uint64_t block;
        bool start;
        uint32_t view;
    };
    std::vector<Event> events;
    events.reserve(2 * views_.size());
    for (uint32_t v = 0; v < views_.size(); ++v) {
        if (views_[v].end <= views_[v].first) continue;
        events.push_back({views_[v].first / B, true, v});
        events.push_back({views_[v].end / B + (views_[v].end % B != 0), false, v});
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.block < b.block; });
    std::vector<uint32_t> active;
    for (size_t i = 0; i < events.size();) {
        const uint64_t at = events[i].block;
        for (; i < events.size() && events[i].block == at; ++i) {
            if (events[i].start) active.push_back(events[i].view);
            else active.erase(std::find(active.begin(), active.end(), events[i].view));
        }
        if (active.empty() || i == events.size()) continue;
        Span s;
        s.first = at;
        s.end = events[i].block;
        s.views = active;
        for (uint32_t v : active) {
            const uint32_t o = views_[v].owner;
            if (std::find(s.owners.begin(), s.owners.end(), o) == s.owners.end()) s.owners.push_back(o);
            if (o < whole_.size() && whole_[o]) s.whole = true;
        }
        std::sort(s.owners.begin(), s.owners.end());
        spans_.push_back(std::move(s));
    }
}

// A block of a span none of whose owners is used whole: used when a view covers it only in part
// (an extent boundary inside it) or its owner says so of the bytes it maps there.
bool SpanMap::block_used(const Span& span, uint64_t block) const {
    constexpr uint64_t B = kSuperBlockBytes;
    const uint64_t first = block * B;
    for (uint32_t v : span.views) {
        const View& view = views_[v];
        if (view.first > first || view.end < first + B) return true;
    }
    for (uint32_t v : span.views) {
        const View& view = views_[v];
        if (used_(view.owner, view.logical + (first - view.first), B)) return true;
    }
    return false;
}

void SpanMap::runs(uint64_t from, uint64_t to, const SuperMap::RunFn& fn) const {
    static const std::vector<uint32_t> kNone;
    auto it = std::upper_bound(spans_.begin(), spans_.end(), from, [](uint64_t b, const Span& s) { return b < s.end; });
    uint64_t b = from;
    while (b < to) {
        if (it == spans_.end() || it->first >= to) {
            fn(b, to - b, false, kNone);
            return;
        }
        if (it->first > b) {
            if (!fn(b, it->first - b, false, kNone)) return;
            b = it->first;
        }
        const uint64_t end = std::min(it->end, to);
        if (it->whole) {
            if (!fn(b, end - b, true, it->owners)) return;
        } else {
            // Runs of one status, block by block.
            while (b < end) {
                const bool used = block_used(*it, b);
                uint64_t e = b + 1;
                while (e < end && block_used(*it, e) == used) ++e;
                if (!fn(b, e - b, used, it->owners)) return;
                b = e;
            }
        }
        b = end;
        ++it;
    }
}

// ---- SuperMap ------------------------------------------------------------------------------

namespace {

// An ext4 partition's used bytes: its bitmaps (the verifier's own rule for an ext4 partition),
// the boot block before s_first_data_block, and everything past the file system.
struct Ext4Owner {
    ext4::Volume volume;
    sparse::UsedRange bitmaps;
    uint64_t fs_bytes, boot_bytes;

    explicit Ext4Owner(ext4::Volume v) : volume(std::move(v)) {
        const ext4::Superblock& sb = volume.super();
        fs_bytes = sb.blocks_count * sb.block_size;
        boot_bytes = static_cast<uint64_t>(sb.first_data_block) * sb.block_size;
        bitmaps = sparse::used_range(volume);  // refers to `volume`: this object never moves
    }
    bool used(uint64_t logical, uint64_t length) const {
        return logical < boot_bytes || logical + length > fs_bytes || bitmaps(logical, length);
    }
};

bool is_ext(const std::string& kind) { return kind == "ext4" || kind == "ext3" || kind == "ext2"; }

}  // namespace

class SuperMap::Impl {
public:
    Super super;
    uint64_t blocks = 0;
    size_t partitions = 0;             // of the union
    std::vector<SplitRow> rows;        // owners: rows[i] is owner i
    std::vector<std::unique_ptr<Ext4Owner>> ext4;  // per owner; null: used whole
    std::optional<SpanMap> spans;
};

SuperMap::SuperMap(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SuperMap::SuperMap(SuperMap&&) noexcept = default;
SuperMap& SuperMap::operator=(SuperMap&&) noexcept = default;
SuperMap::~SuperMap() = default;

std::optional<SuperMap> SuperMap::detect(const Input& in, uint64_t offset, uint64_t size, Notices& notices) {
    if (!looks_like_super(in, offset, size)) return std::nullopt;
    return open(in, read_super(in, offset, size, notices), Contents::read, notices);
}

SuperMap SuperMap::open(const Input& in, Super super, Contents contents, Notices& notices) {
    auto impl = std::make_unique<Impl>();
    Impl& m = *impl;
    m.super = std::move(super);
    const std::string name = in.name() + " (super)";
    m.blocks = mtkfw::whole_blocks(m.super.size, kSuperBlockBytes, name, notices);
    const uint64_t super_bytes = m.blocks * kSuperBlockBytes;

    std::vector<View> views;
    m.rows.push_back({"(metadata)", "LP metadata"});
    m.ext4.emplace_back();
    views.push_back({0, std::min(m.super.first_logical_byte(), super_bytes), 0, 0});

    const std::vector<LogicalPartition> parts = logical_partitions(m.super);
    m.partitions = parts.size();
    for (const LogicalPartition& p : parts) {
        uint64_t logical = 0, linear = 0;
        for (const Extent& e : p.extents) {
            if (e.target_type == kTargetLinear) linear += e.num_sectors;
        }
        if (linear == 0) continue;  // no extent (an empty _b), or ZERO only: nothing on disk
        const uint32_t owner = static_cast<uint32_t>(m.rows.size());
        SplitRow row{p.name, "not read (a pipe)"};
        std::unique_ptr<Ext4Owner> fs;
        if (contents == Contents::read) {
            const Region region = region_of(in, m.super, p);
            std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(kContentProbeBytes, region.size())));
            region.read_at(head.data(), head.size(), 0);
            const Content c = detect_content(head);
            row.content = c.kind.empty() ? "unknown" : c.kind;
            if (is_ext(c.kind)) {
                try {
                    fs = std::make_unique<Ext4Owner>(ext4::Volume::open(region));
                } catch (const Failure& f) {
                    if (f.code() != Exit::invalid_input) throw;
                    notices.push_back({Notice::Level::warning,
                                       std::string(f.what()) + "; its extents are kept whole (every block written)"});
                    row.content += " (unreadable, kept whole)";
                }
            }
        }
        for (const Extent& e : p.extents) {
            const uint64_t bytes = e.num_sectors * kSectorSize;
            if (e.target_type == kTargetLinear) {
                const uint64_t first = e.target_data * kSectorSize;
                views.push_back({first, first + bytes, logical, owner});
            }
            logical += bytes;
        }
        m.rows.push_back(std::move(row));
        m.ext4.push_back(std::move(fs));
    }
    m.rows.push_back({"(unallocated)", "no extent"});
    m.ext4.emplace_back();

    std::vector<bool> whole(m.rows.size());
    for (size_t i = 0; i < whole.size(); ++i) whole[i] = !m.ext4[i];
    const Impl* self = impl.get();
    m.spans.emplace(std::move(views), std::move(whole), [self](uint32_t owner, uint64_t logical, uint64_t length) {
        return self->ext4[owner]->used(logical, length);
    });
    return SuperMap(std::move(impl));
}

const Super& SuperMap::super() const { return impl_->super; }
uint64_t SuperMap::blocks() const { return impl_->blocks; }

std::string SuperMap::label() const {
    const Super& s = impl_->super;
    std::string label = "LP";
    if (!s.slots.empty()) {
        label += " " + std::to_string(s.slots[0].major_version) + "." + std::to_string(s.slots[0].minor_version);
    }
    return label + ", " + std::to_string(s.slots.size()) + " slots, " + std::to_string(impl_->partitions) + " partitions";
}

void SuperMap::runs(uint64_t from, uint64_t to, const RunFn& fn) const {
    impl_->spans->runs(from, std::min(to, impl_->blocks), fn);
}

std::vector<SplitRow> SuperMap::split_rows() const { return impl_->rows; }

sparse::UsedRange SuperMap::used_range() const {
    const Impl* self = impl_.get();  // stable when the map moves
    return [self](uint64_t first, uint64_t length) {
        if (length == 0) return false;
        const uint64_t from = first / kSuperBlockBytes;
        const uint64_t to = std::min((first + length - 1) / kSuperBlockBytes + 1, self->blocks);
        bool any = false;
        self->spans->runs(from, to, [&](uint64_t, uint64_t, bool used, const std::vector<uint32_t>&) {
            any = used;
            return !used;
        });
        return any;
    };
}

}  // namespace mtkfw::lp
