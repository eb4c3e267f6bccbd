// Which MediaTek chip a dump is for, read from the system partition's build.prop straight out of
// the ext4 file system (no mount, no root): ro.mediatek.platform ("MT6752"), else
// ro.board.platform ("mt6752").  Android up to 9 keeps it at /build.prop of the system
// partition; system-as-root images at /system/build.prop.
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

// Looks at the partition named "system" when it holds ext2/3/4.  A file system that cannot be read
// gives a warning Notice, not a Failure: the platform is a convenience.
std::optional<Platform> detect_platform(const Input& in, const PartitionTable& table, Notices& notices);

}  // namespace mtkfw
