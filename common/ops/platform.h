// Which MediaTek chip a dump is for, read from a build.prop straight out of an ext2/3/4 or erofs
// file system (ops/fs_file.h; no mount, no root), in a GPT partition or in a logical partition of
// super (ops/lp_super.h).  Each partition is looked up as NAME, then NAME_a / NAME_b (the active
// slot's first, `a` when none is known): in the GPT first, then inside each super (content `lp`).
// Sources, in order, each the first key found:
//   system partition, /build.prop (Android up to 9) or /system/build.prop (system-as-root):
//     ro.mediatek.platform ("MT6752"), ro.board.platform ("mt6752")   [the MT6752 sample, mksample]
//   vendor partition, /build.prop (Android 8+ keeps the vendor properties at the root of the vendor
//   partition, mounted as /vendor): ro.vendor.mediatek.platform, ro.board.platform,
//   ro.mediatek.platform   [unattributed public sources: MediaTek device trees set
//     `PRODUCT_VENDOR_PROPERTIES += ro.vendor.mediatek.platform=MT6755` (vendor properties are
//     written to vendor's build.prop), and firmware-dump scripts read the chip with
//     `grep ro.vendor.mediatek.platform= vendor/build.prop`; one MT6762 tree sets
//     ro.board.platform=mt6765 and ro.vendor.mediatek.platform=MT6765: the platform folder]
// The source names where: "system:/build.prop ro.mediatek.platform", or inside super
// "super/vendor_a:/build.prop ro.vendor.mediatek.platform".  Any other content is not read.
// A second source is the preloader's build path (format/build_path.h, bl-strip); readback2fw
// reconciles the two.
#pragma once

#include <optional>
#include <string>

#include "base/failure.h"
#include "io/input.h"
#include "format/table.h"

namespace mtkfw {

struct Platform {
    std::string name;    // upper case: "MT6752"
    std::string source;  // "system:/build.prop ro.mediatek.platform"
};

// The first source above that names a chip; table.slot (ops/ab_slot.h) picks the slot.  A file system that cannot be read gives a warning
// Notice, not a Failure: the platform is a convenience.
std::optional<Platform> detect_platform(const Input& in, const PartitionTable& table, Notices& notices);

}  // namespace mtkfw
