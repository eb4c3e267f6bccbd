#include "ops/boot_header.h"

#include <algorithm>
#include <array>

#include "ops/content.h"
#include "format/gfh.h"
#include "base/text.h"

namespace mtkfw {
namespace {

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

constexpr size_t kDeviceIdWidth = 12;
constexpr uint64_t kBrlytAt = 0x200;
constexpr size_t kBrlytSize = 0x14 + 8 * 20;

const Storage* storage_of(const std::string& id) {
    for (const Storage& s : kStorages) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

}  // namespace

std::optional<DeviceHeader> parse_device_header(Bytes head) {
    if (head.size() < 0x14) return std::nullopt;
    const std::string id = ascii_field(head, 0, kDeviceIdWidth);
    const Storage* s = storage_of(id);
    // The id is NUL-padded to 12 bytes: "EMMC_BOOTxyz" is not a header.
    if (!s || std::any_of(head.begin() + static_cast<std::ptrdiff_t>(id.size()), head.begin() + kDeviceIdWidth,
                          [](uint8_t c) { return c != 0; })) {
        return std::nullopt;
    }
    return DeviceHeader{id, std::string(s->storage), le32(head, 0x0C), le32(head, 0x10)};
}

std::optional<Brlyt> parse_brlyt(Bytes head, uint64_t at) {
    if (at + kBrlytSize > head.size() || !has_magic(head, at, std::string_view("BRLYT\0\0\0", 8))) return std::nullopt;
    const Bytes b = head.subspan(at, kBrlytSize);
    Brlyt r;
    r.offset = at;
    r.version = le32(b, 0x08);
    r.boot_region = le32(b, 0x0C);
    r.main_region = le32(b, 0x10);
    if (has_magic(b, 0x14, "BBBB")) {
        r.first = BrlytDescriptor{le16(b, 0x18), le16(b, 0x1A), le32(b, 0x1C), le32(b, 0x20), le32(b, 0x24)};
    }
    return r;
}

BootLayout locate_gfh(Bytes head, const std::string& what, Notices* notices) {
    BootLayout l;
    l.device = parse_device_header(head);
    l.brlyt = parse_brlyt(head, kBrlytAt);
    if (!l.brlyt && l.device && l.device->block_size != kBrlytAt) l.brlyt = parse_brlyt(head, l.device->block_size);

    if (head.empty()) fail_input(what, "empty (0 bytes): not a BOOT1 readback nor a preloader image");
    if (!l.device && !l.brlyt) {
        if (looks_like_gfh(head)) return l;  // a raw preloader image
        fail_input(what, "not a BOOT1 readback nor a preloader image (no EMMC_BOOT/UFS_BOOT header, no BRLYT, "
                         "no GFH FILE_INFO): it looks like " + describe_non_boot(head));
    }
    if (!l.device) {
        notices->push_back({Notice::Level::warning, "no device header (EMMC_BOOT, UFS_BOOT, ...) before the BRLYT"});
    }
    if (l.brlyt) {
        l.from = GfhOffsetFrom::brlyt;
        l.gfh_offset = l.brlyt->first ? l.brlyt->first->begin : l.brlyt->boot_region;
        if (l.gfh_offset < l.brlyt->offset + kBrlytSize) {
            fail_input(what, "the BRLYT puts the preloader at " + hex(l.gfh_offset) + ", inside the header");
        }
    } else {
        const Storage* s = storage_of(l.device->id);
        if (s->default_gfh == 0) {
            fail_input(what, l.device->id + " header without a BRLYT at 0x200: no documented preloader offset");
        }
        l.from = GfhOffsetFrom::fallback;
        l.gfh_offset = s->default_gfh;
        notices->push_back({Notice::Level::warning, "no BRLYT at 0x200: using the " + l.device->id +
                                                        " default preloader offset " + hex(l.gfh_offset)});
    }
    if (l.gfh_offset + 0x14 <= head.size() && !looks_like_gfh(head.subspan(l.gfh_offset))) {
        fail_input(what, "no GFH FILE_INFO at " + hex(l.gfh_offset) + ", where the " +
                             (l.from == GfhOffsetFrom::brlyt ? "BRLYT" : "documented default") +
                             " puts the preloader");
    }
    return l;
}

std::string describe_non_boot(Bytes head) {
    if (head.empty()) return "nothing (0 bytes)";
    if (has_magic(head, 0, "MTK_BLOADER_INFO_v")) {
        return "an EMI settings block (" + ascii_field(head, 0, 0x1B) +
               ") cut out of a preloader, not the preloader itself";
    }
    for (size_t sector : {512, 4096}) {
        if (has_magic(head, sector, "EFI PART")) {
            return "a disk with a GPT (" + std::to_string(sector) + "-byte sectors): a USER readback?";
        }
    }
    if (std::all_of(head.begin(), head.end(), [](uint8_t c) { return c == 0xFF; })) {
        return "erased flash (all 0xFF): an empty boot partition?";
    }
    const Content c = detect_content(head.first(std::min(head.size(), kContentProbeBytes)));
    if (c.kind == "zero") return "all zeros: an empty boot partition (BOOT2?)";
    if (c.kind == "unknown") return "unknown data";
    return c.kind + " data" + (c.label.empty() ? "" : " (" + escape_controls(c.label) + ")");
}

}  // namespace mtkfw
