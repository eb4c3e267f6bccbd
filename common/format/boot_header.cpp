#include "format/boot_header.h"

#include <array>

#include "base/text.h"
#include "format/gfh.h"

namespace mtkfw {
namespace {

using namespace boot;

struct Storage {
    std::string_view id, storage;
    uint64_t default_gfh;  // 0: none documented
};
constexpr std::array<Storage, 6> kStorages{{
    {"EMMC_BOOT", "emmc", 0x800},
    {"UFS_BOOT", "ufs", 0x1000},
    {"COMBO_BOOT", "combo", 0x1000},
    {"SDMMC_BOOT", "sdmmc", 0x800},
    {"SF_BOOT", "sf", 0},
    {"NAND_BOOT", "nand", 0},
}};

const Storage* storage_of(const std::string& id) {
    for (const Storage& s : kStorages) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

// Where the BRLYT (or, without one, the storage's documented default) puts the GFH image.
void place_gfh(BootLayout& l, const std::string& what, Notices& notices) {
    if (l.brlyt) {
        l.from = GfhOffsetFrom::brlyt;
        l.gfh_offset = l.brlyt->first ? l.brlyt->first->begin : l.brlyt->boot_region;
        if (l.gfh_offset < l.brlyt->offset + kBrlytSize) {
            fail_input(what, "the BRLYT puts the preloader at " + hex(l.gfh_offset) + ", inside the header");
        }
        return;
    }
    const Storage* s = storage_of(l.device->id);
    if (s->default_gfh == 0) {
        fail_input(what, l.device->id + " header without a BRLYT at 0x200: no documented preloader offset");
    }
    l.from = GfhOffsetFrom::fallback;
    l.gfh_offset = s->default_gfh;
    notices.push_back({Notice::Level::warning, "no BRLYT at 0x200: using the " + l.device->id +
                                                   " default preloader offset " + hex(l.gfh_offset)});
}

}  // namespace

std::optional<DeviceHeader> parse_device_header(Bytes head) {
    if (head.size() < kDeviceHeaderSize) return std::nullopt;
    const std::string id = ascii_field(head, kDeviceIdAt, kDeviceIdWidth);
    const Storage* s = storage_of(id);
    // The id is NUL-padded to 12 bytes: "EMMC_BOOTxyz" is not a header.
    if (!s || !all_equal(head.subspan(kDeviceIdAt + id.size(), kDeviceIdWidth - id.size()), 0)) return std::nullopt;
    return DeviceHeader{id, std::string(s->storage), le32(head, kDeviceVersionAt), le32(head, kDeviceBlockSizeAt)};
}

std::optional<Brlyt> parse_brlyt(Bytes head, uint64_t at) {
    if (at + kBrlytSize > head.size() || !has_magic(head, at, kBrlytId)) return std::nullopt;
    const Bytes b = head.subspan(at, kBrlytSize);
    Brlyt r;
    r.offset = at;
    r.version = le32(b, kBrlytVersionAt);
    r.boot_region = le32(b, kBootRegionAt);
    r.main_region = le32(b, kMainRegionAt);
    const Bytes d = b.subspan(kDescriptorsAt, kDescriptorSize);
    if (has_magic(d, kDescriptorMagicAt, kDescriptorMagic)) {
        r.first = BrlytDescriptor{le16(d, kDescriptorDevAt), le16(d, kDescriptorTypeAt), le32(d, kDescriptorBeginAt),
                                  le32(d, kDescriptorBoundaryAt), le32(d, kDescriptorAttrAt)};
    }
    return r;
}

bool is_boot_region(Bytes head) {
    return parse_device_header(head) || parse_brlyt(head, kBrlytAt) || looks_like_gfh(head);
}

BootLayout locate_gfh(Bytes head, const std::string& what, Notices& notices) {
    BootLayout l;
    l.device = parse_device_header(head);
    l.brlyt = parse_brlyt(head, kBrlytAt);
    if (!l.brlyt && l.device && l.device->block_size != kBrlytAt) l.brlyt = parse_brlyt(head, l.device->block_size);

    if (head.empty()) fail_input(what, "empty (0 bytes): not a BOOT1 readback nor a preloader image");
    if (!l.device && !l.brlyt) {
        if (looks_like_gfh(head)) return l;  // a raw preloader image
        fail_input(what, std::string(kNotBootRegion));
    }
    if (!l.device) {
        notices.push_back({Notice::Level::warning, "no device header (EMMC_BOOT, UFS_BOOT, ...) before the BRLYT"});
    }
    place_gfh(l, what, notices);
    // Only a FILE_INFO identifier inside `head` can be judged here; the rest is read later.
    const size_t identifier_end = gfh::kIdentifierAt + gfh::kIdentifier.size();
    if (l.gfh_offset + identifier_end <= head.size() && !looks_like_gfh(head.subspan(l.gfh_offset))) {
        fail_input(what, "no GFH FILE_INFO at " + hex(l.gfh_offset) + ", where the " +
                             (l.from == GfhOffsetFrom::brlyt ? "BRLYT" : "documented default") +
                             " puts the preloader");
    }
    return l;
}

}  // namespace mtkfw
