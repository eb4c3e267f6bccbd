// The boot-region header SP Flash Tool reads back in front of the preloader (BOOT1 of eMMC,
// LU0 of UFS): a device header, the BRLYT (boot ROM layout), then the GFH image (gfh.h).
// Sources: doc/FORMATS.md "Preloader in BOOT1"; cyrozap/mediatek-lte-baseband-re
// SoC/mediatek_preloader.ksy (device header, BRLYT and descriptor layout); shomykohai/hacc
// src/preloader/pl.rs (preloader offset = first descriptor's begin address); MediaTek LK
// app/mt_boot/blockheader.c; the real sample preloader_a05ba.img (EMMC_BOOT, BRLYT, GFH at 0x800).
//
// The fields are the constants below, each with its width and expected value / what a mismatch means.
// Without a BRLYT the documented defaults are used (0x800 eMMC/SDMMC, 0x1000 UFS/COMBO), with a
// warning; SF and NAND have no documented default.  No device header and a GFH FILE_INFO at 0x0:
// a raw preloader image, taken as it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/failure.h"

namespace mtkfw {
namespace boot {

// Device header at 0x0 (its block is the rest of the first 0x200 bytes, 0xFF):
//                                                  width  expected / on mismatch
constexpr size_t kDeviceIdAt = 0x00;             // 12     "EMMC_BOOT" "UFS_BOOT" "COMBO_BOOT" "SDMMC_BOOT" "SF_BOOT"
                                                 //        "NAND_BOOT", NUL-padded - no device header
constexpr size_t kDeviceIdWidth = 12;
constexpr size_t kDeviceVersionAt = 0x0C;        // 4      1 - shown only
constexpr size_t kDeviceBlockSizeAt = 0x10;      // 4      0x200 eMMC, 0x1000 UFS/COMBO - shown only (mtkclient
                                                 //        reads the BRLYT offset here: true on eMMC only)
constexpr size_t kDeviceHeaderSize = 0x14;

// BRLYT at 0x200 on every storage (also looked for at block_size, mtkclient's reading):
constexpr uint64_t kBrlytAt = 0x200;
constexpr size_t kBrlytIdAt = 0x00;              // 8      "BRLYT\0\0\0" - no BRLYT: documented default offset
constexpr std::string_view kBrlytId{"BRLYT\0\0\0", 8};
constexpr size_t kBrlytVersionAt = 0x08;         // 4      1 - shown only
constexpr size_t kBootRegionAt = 0x0C;           // 4      offset of the preloader (0x800 eMMC, 0x1000 UFS/COMBO)
constexpr size_t kMainRegionAt = 0x10;           // 4      end of the boot region (the preloader must fit
                                                 //        before it: warning)
constexpr size_t kDescriptorsAt = 0x14;          // 8 x 20 descriptors, below; the preloader is at descriptor 0's
                                                 //        begin (boot_region when descriptor 0 is absent); no GFH
                                                 //        FILE_INFO there: reject
constexpr size_t kDescriptorSize = 20, kDescriptorCount = 8;
constexpr size_t kBrlytSize = kDescriptorsAt + kDescriptorCount * kDescriptorSize;

// BRLYT descriptor, from kDescriptorsAt:
constexpr size_t kDescriptorMagicAt = 0x00;      // 4      "BBBB" - absent
constexpr std::string_view kDescriptorMagic = "BBBB";
constexpr size_t kDescriptorDevAt = 0x04;        // 2
constexpr size_t kDescriptorTypeAt = 0x06;       // 2
constexpr size_t kDescriptorBeginAt = 0x08;      // 4      where the preloader starts
constexpr size_t kDescriptorBoundaryAt = 0x0C;   // 4
constexpr size_t kDescriptorAttrAt = 0x10;       // 4

}  // namespace boot

// How many bytes of the input locate_gfh() needs to see (fewer when the input is shorter).
constexpr size_t kBootHeadBytes = 0x2000;

struct DeviceHeader {
    std::string id;       // "EMMC_BOOT"
    std::string storage;  // "emmc" "ufs" "combo" "sdmmc" "sf" "nand"
    uint32_t version = 0;
    uint32_t block_size = 0;
};

struct BrlytDescriptor {
    uint16_t dev = 0, type = 0;
    uint32_t begin = 0, boundary = 0, attr = 0;
};

struct Brlyt {
    uint64_t offset = 0;  // where it was found
    uint32_t version = 0;
    uint32_t boot_region = 0, main_region = 0;
    std::optional<BrlytDescriptor> first;  // descriptor 0 when its magic is "BBBB"
};

enum class GfhOffsetFrom { raw, brlyt, fallback };

struct BootLayout {
    std::optional<DeviceHeader> device;
    std::optional<Brlyt> brlyt;
    uint64_t gfh_offset = 0;
    GfhOffsetFrom from = GfhOffsetFrom::raw;
};

std::optional<DeviceHeader> parse_device_header(Bytes head);
std::optional<Brlyt> parse_brlyt(Bytes head, uint64_t at);

// Where the GFH image of a BOOT1 readback (or a raw GFH image) starts, from its first bytes
// (up to kBootHeadBytes).  Fallbacks are warnings in `notices`.  Input with no device header,
// no BRLYT and no GFH is a Failure that says what the bytes look like instead.
// An input that is none of these fails with kNotBootRegion alone: a caller that can tell what
// the bytes are instead (describe_non_boot, ops/content.h) asks is_boot_region() first.
BootLayout locate_gfh(Bytes head, const std::string& what, Notices& notices);

// True when `head` has a device header, a BRLYT at 0x200 or a GFH FILE_INFO at 0: what
// locate_gfh() can start from.
bool is_boot_region(Bytes head);

constexpr std::string_view kNotBootRegion =
    "not a BOOT1 readback nor a preloader image (no EMMC_BOOT/UFS_BOOT header, no BRLYT, no GFH FILE_INFO)";

}  // namespace mtkfw
