// The boot-region header SP Flash Tool reads back in front of the preloader (BOOT1 of eMMC,
// LU0 of UFS): a device header, the BRLYT (boot ROM layout), then the GFH image (gfh.h).
// Sources: doc/FORMATS.md "Preloader in BOOT1"; cyrozap/mediatek-lte-baseband-re
// SoC/mediatek_preloader.ksy (device header, BRLYT and descriptor layout); shomykohai/hacc
// src/preloader/pl.rs (preloader offset = first descriptor's begin address); MediaTek LK
// app/mt_boot/blockheader.c; the real sample preloader_a05ba.img (EMMC_BOOT, BRLYT, GFH at 0x800).
//
// Device header at 0x0 (its block is the rest of the first 0x200 bytes, 0xFF):
//   off  width  field        expected / on mismatch
//   0x00 12     id           "EMMC_BOOT" "UFS_BOOT" "COMBO_BOOT" "SDMMC_BOOT" "SF_BOOT" "NAND_BOOT",
//                            NUL-padded                    - no device header
//   0x0C 4      version      1                             - shown only
//   0x10 4      block_size   0x200 eMMC, 0x1000 UFS/COMBO  - shown only (mtkclient reads the
//                            BRLYT offset here: true on eMMC only)
// BRLYT at 0x200 on every storage (also looked for at block_size, mtkclient's reading):
//   0x00 8      id           "BRLYT\0\0\0"                 - no BRLYT: documented default offset
//   0x08 4      version      1                             - shown only
//   0x0C 4      boot_region  offset of the preloader (0x800 eMMC, 0x1000 UFS/COMBO)
//   0x10 4      main_region  end of the boot region (the preloader must fit before it: warning)
//   0x14 8 x 20 descriptors: 4 "BBBB" (present) · u16 dev · u16 type · u32 begin · u32 boundary ·
//                            u32 attr.  The preloader is at descriptor 0's begin (boot_region when
//                            descriptor 0 is absent); no GFH FILE_INFO there: reject.
// Without a BRLYT the documented defaults are used (0x800 eMMC/SDMMC, 0x1000 UFS/COMBO), with a
// warning; SF and NAND have no documented default.  No device header and a GFH FILE_INFO at 0x0:
// a raw preloader image, taken as it is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/failure.h"

namespace mtkfw {

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
BootLayout locate_gfh(Bytes head, const std::string& what, Notices* notices);

// What `head` looks like when it is no BOOT1 readback: "an EMI settings block ...", "a disk with a
// GPT (a USER readback?)", "all 0xFF (erased)", "an ext4 file system", ...
std::string describe_non_boot(Bytes head);

}  // namespace mtkfw
