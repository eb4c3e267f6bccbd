#include "ops/lp_super.h"

#include <algorithm>
#include <tuple>

#include "base/text.h"
#include "format/sparse_format.h"

namespace mtkfw::lp {
namespace {

// For messages: the input, and where super starts in it when not at 0.
std::string name_of(const Input& in, uint64_t offset) {
    return offset == 0 ? in.name() : in.name() + ": super at " + hex(offset);
}

std::vector<uint8_t> read_bytes(const Input& in, uint64_t at, size_t n) {
    std::vector<uint8_t> b(n);
    in.read_at(b.data(), n, at);
    return b;
}

// The first of two copies that parses, else a Failure naming both reasons.
template <class T, class Parse>
T primary_or_backup(Parse parse, const std::string& name, const std::string& what, bool* from_backup,
                    Notices& notices) {
    std::string primary_why;
    try {
        *from_backup = false;
        return parse(false);
    } catch (const Failure& f) {
        if (f.code() != Exit::invalid_input) throw;
        primary_why = f.what();
    }
    try {
        *from_backup = true;
        T t = parse(true);
        notices.push_back({Notice::Level::warning, name + ": primary " + what + " unusable (" + primary_why + "): the backup copy is used"});
        return t;
    } catch (const Failure& f) {
        if (f.code() != Exit::invalid_input) throw;
        fail_input(name, "both copies of the " + what + " are unusable: primary: " + primary_why + "; backup: " + f.what(),
                   Remedy::copy_every_block);
    }
}

void notice_unknown(uint32_t value, uint32_t known, const std::string& what, Notices& notices) {
    if (value & ~known) {
        notices.push_back({Notice::Level::info, what + " has unknown flag bits " + hex(value & ~known) + " (ignored)"});
    }
}

// The checks liblp leaves to its builder or the kernel, for one slot.
// Its notices say no slot: read_super says which slots each is true of.
void check_slot(const Metadata& m, uint32_t slot, const Super& super, const std::string& name, Notices& notices) {
    const std::string where = "slot " + std::to_string(slot);
    if (m.block_devices.size() > 1) {
        fail_input(name, where + ": " + std::to_string(m.block_devices.size()) +
                             " block devices (a retrofit layout, logical partitions spread over system, "
                             "vendor ...): only super on one block device is read");
    }
    notice_unknown(m.flags, kHeaderFlagVirtualAb, "header", notices);
    const uint32_t attr_mask = kAttrMaskV0 | (m.minor_version >= kMinorForUpdatedAttr ? kAttrMaskV1 : 0);
    for (const Partition& p : m.partitions) {
        notice_unknown(p.attributes, attr_mask, "partition " + escape_controls(p.name), notices);
    }
    for (const Group& g : m.groups) {
        notice_unknown(g.flags, kGroupSlotSuffixed, "group " + escape_controls(g.name), notices);
    }
    notice_unknown(m.block_devices[0].flags, kBlockDeviceSlotSuffixed, "block device", notices);
    if (m.block_devices[0].size > super.size) {
        notices.push_back({Notice::Level::warning, "super is " + std::to_string(m.block_devices[0].size) +
                                                       " bytes, the range holds " + std::to_string(super.size) +
                                                       " (cut short?)"});
    }
    // Every LINEAR extent inside super after the metadata, and no two of them sharing a sector.
    const uint64_t first = m.block_devices[0].first_logical_sector, end = super.size / kSectorSize;
    std::vector<std::tuple<uint64_t, uint64_t, std::string>> used;  // start, end sector, partition
    for (const Partition& p : m.partitions) {
        for (uint32_t k = 0; k < p.num_extents; ++k) {
            const Extent& x = m.extents[p.first_extent_index + k];
            if (x.target_type != kTargetLinear || x.num_sectors == 0) continue;
            const std::string who = where + ": partition " + escape_controls(p.name) + " extent " + std::to_string(k);
            if (x.target_data < first || x.target_data > end || x.num_sectors > end - x.target_data) {
                fail_input(name, who + " (sectors " + std::to_string(x.target_data) + "+" +
                                     std::to_string(x.num_sectors) + ") outside super's data area (sectors " +
                                     std::to_string(first) + " to " + std::to_string(end) + ")");
            }
            used.emplace_back(x.target_data, x.target_data + x.num_sectors, p.name);
        }
    }
    std::sort(used.begin(), used.end());
    for (size_t i = 1; i < used.size(); ++i) {
        if (std::get<0>(used[i]) < std::get<1>(used[i - 1])) {
            fail_input(name, where + ": extents of " + escape_controls(std::get<2>(used[i - 1])) + " and " +
                                 escape_controls(std::get<2>(used[i])) + " overlap at sector " +
                                 std::to_string(std::get<0>(used[i])));
        }
    }
}

}  // namespace

uint64_t Super::metadata_end() const {
    return kMetadataOffset + 2 * static_cast<uint64_t>(geometry.metadata_slot_count) * geometry.metadata_max_size;
}

uint64_t Super::first_logical_byte() const {
    return slots.empty() || slots[0].block_devices.empty() ? metadata_end()
                                                           : slots[0].block_devices[0].first_logical_sector * kSectorSize;
}

bool looks_like_super(const Input& in, uint64_t offset, uint64_t size) {
    if (!in.seekable() || size < kBackupGeometryOffset + kGeometrySize || offset > in.size() ||
        in.size() - offset < kBackupGeometryOffset + kGeometrySize) {
        return false;
    }
    for (uint64_t at : {kGeometryOffset, kBackupGeometryOffset}) {
        uint8_t magic[4];
        in.read_at(magic, sizeof magic, offset + at);
        if (le32(Bytes(magic, 4), 0) == kGeometryMagic) return true;
    }
    return false;
}

Super read_super(const Input& in, uint64_t offset, uint64_t size, Notices& notices) {
    const std::string name = name_of(in, offset);
    if (!in.seekable()) fail_input(name, "LP metadata can only be read from a file or a device, not a pipe");
    if (offset > in.size() || size > in.size() - offset) {
        fail_input(name, "super (" + std::to_string(size) + " bytes from " + std::to_string(offset) +
                             ") runs past the end of the input (" + std::to_string(in.size()) + " bytes)");
    }
    if (size >= sparse::kFileHeaderSize) {
        const std::vector<uint8_t> head = read_bytes(in, offset, 4);
        if (le32(head, 0) == sparse::kMagic) {
            fail_input(name, "an Android sparse image, not a raw super: expand it first (ext4-sparse -d)");
        }
    }
    if (size < kMetadataOffset) fail_input(name, "too small for LP metadata (" + std::to_string(size) + " bytes)");
    Super s;
    s.offset = offset;
    s.size = size;
    s.geometry = primary_or_backup<Geometry>(
        [&](bool backup) {
            const uint64_t at = backup ? kBackupGeometryOffset : kGeometryOffset;
            const std::vector<uint8_t> b = read_bytes(in, offset + at, kGeometrySize);
            return parse_geometry(b, "geometry at " + hex(at));
        },
        name, "LP geometry", &s.geometry_from_backup, notices);
    if (s.metadata_end() > size) {
        fail_input(name, "LP metadata area (" + std::to_string(s.metadata_end()) + " bytes) larger than super (" +
                             std::to_string(size) + " bytes)",
                   Remedy::copy_every_block);
    }
    const uint32_t slots = s.geometry.metadata_slot_count, max = s.geometry.metadata_max_size;
    std::vector<std::pair<Notice, std::vector<uint32_t>>> merged;  // a slot notice, the slots saying it
    for (uint32_t slot = 0; slot < slots; ++slot) {
        bool from_backup = false;
        Metadata m = primary_or_backup<Metadata>(
                [&](bool backup) {
                    const uint64_t at = kMetadataOffset + (static_cast<uint64_t>(backup ? slots : 0) + slot) * max;
                    const std::vector<uint8_t> b = read_bytes(in, offset + at, max);
                    return parse_metadata(b, s.geometry, "metadata at " + hex(at));
                },
                name, "LP metadata of slot " + std::to_string(slot), &from_backup, notices);
        if (m.block_devices[0].first_logical_sector * kSectorSize > size) {
            fail_input(name, "slot " + std::to_string(slot) + ": logical partitions start past the end of super");
        }
        Notices slot_notices;
        check_slot(m, slot, s, name, slot_notices);
        for (Notice& n : slot_notices) {
            const auto same = std::find_if(merged.begin(), merged.end(), [&](const auto& e) { return e.first.text == n.text; });
            if (same == merged.end()) merged.push_back({std::move(n), {slot}});
            else same->second.push_back(slot);
        }
        s.slots.push_back(std::move(m));
        s.slot_from_backup.push_back(from_backup);
    }
    for (auto& [n, which] : merged) {
        std::string list;
        for (uint32_t w : which) list += (list.empty() ? "" : ",") + std::to_string(w);
        n.text = name + ": LP metadata slot" + (which.size() > 1 ? "s " : " ") + list + ": " + n.text;
        notices.push_back(std::move(n));
    }
    return s;
}

std::vector<LogicalPartition> logical_partitions(const Super& super) {
    std::vector<LogicalPartition> out;
    for (uint32_t slot = 0; slot < super.slots.size(); ++slot) {
        const Metadata& m = super.slots[slot];
        for (const Partition& p : m.partitions) {
            LogicalPartition lp;
            lp.name = p.name;
            lp.group = m.groups[p.group_index].name;
            lp.attributes = p.attributes;
            for (uint32_t k = 0; k < p.num_extents; ++k) {
                const Extent& x = m.extents[p.first_extent_index + k];
                lp.extents.push_back(x);
                lp.size += x.num_sectors * kSectorSize;  // within 64 bits: parse_metadata checked the sum
            }
            const auto same = [&](const LogicalPartition& o) {
                return o.name == lp.name && o.extents.size() == lp.extents.size() &&
                       std::equal(o.extents.begin(), o.extents.end(), lp.extents.begin(), [](const Extent& a, const Extent& b) {
                           return a.num_sectors == b.num_sectors && a.target_type == b.target_type &&
                                  a.target_data == b.target_data && a.target_source == b.target_source;
                       });
            };
            const auto found = std::find_if(out.begin(), out.end(), same);
            if (found != out.end()) {
                if (found->slots.empty() || found->slots.back() != slot) found->slots.push_back(slot);
                continue;
            }
            lp.slots.push_back(slot);
            out.push_back(std::move(lp));
        }
    }
    return out;
}

Region region_of(const Input& in, const Super& super, const LogicalPartition& partition) {
    std::vector<Piece> pieces;
    for (const Extent& x : partition.extents) {
        const uint64_t length = x.num_sectors * kSectorSize;
        if (x.target_type == kTargetZero) pieces.push_back({0, length, true});
        else pieces.push_back({super.offset + x.target_data * kSectorSize, length, false});
    }
    return Region(in, std::move(pieces), "super/" + partition.name);
}

}  // namespace mtkfw::lp
