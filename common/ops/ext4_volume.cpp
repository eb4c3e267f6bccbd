#include "ops/ext4_volume.h"

#include "base/failure.h"

namespace mtkfw::ext4 {

Volume Volume::open(const Input& in, uint64_t offset, uint64_t size) { return open(Region(in, offset, size)); }

Volume Volume::open(const Region& region) {
    Volume v;
    v.region_ = std::make_unique<Region>(region);
    const std::string& name = region.name();
    const uint64_t size = region.size();
    if (size < kSuperblockOffset + kSuperblockSize) {
        fail_input(name, "not an ext2/3/4 file system: only " + std::to_string(size) + " bytes");
    }
    std::vector<uint8_t> buf(kSuperblockSize);
    region.read_at(buf.data(), buf.size(), kSuperblockOffset);
    v.sb_ = std::make_unique<Superblock>(parse_superblock(buf, name));
    const Superblock& sb = *v.sb_;
    check_fits(sb, size, name);
    v.used_ = std::make_unique<UsedBlocks>(sb);
    buf.resize(sb.block_size);
    for (uint32_t i = 0; i < sb.desc_blocks; ++i) {
        v.read_blocks(descriptor_block(sb, i), 1, buf.data());
        const uint32_t first = i * sb.descs_per_block;
        const auto descs = parse_descriptor_block(buf, sb, first, name);
        for (uint32_t k = 0; k < descs.size(); ++k) v.used_->add_group(first + k, descs[k]);
    }
    return v;
}

void Volume::read_blocks(uint64_t first, uint64_t count, void* buf) const {
    region_->read_at(buf, static_cast<size_t>(count * sb_->block_size), first * sb_->block_size);
}

std::vector<uint8_t> Volume::group_used(uint32_t group) const {
    std::vector<uint8_t> bitmap;
    if (used_->reads_bitmap(group)) {
        bitmap.resize(sb_->block_size);
        read_blocks(used_->desc(group).block_bitmap, 1, bitmap.data());
    }
    return used_->group_used(group, bitmap);
}

}  // namespace mtkfw::ext4
