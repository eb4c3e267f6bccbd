// The chip a preloader was built for, from the source paths its build left in it: MediaTek's
// preloader keeps __FILE__ strings of its drivers (assert and log messages), and those paths run
// through the platform folder of its source tree, `.../bootloader/preloader/platform/mtXXXX/...`.
// Evidence [verified, strings(1)]: the real sample preloader_hs03s.bin (doc/FORMATS.md) holds
// ".../bootable/bootloader/preloader/platform/mt6765/src/drivers/circbuf.c" (an MT6765 phone),
// preloader_a05ba.img ".../preloader/platform/mt8168/src/core/download.c" (an MT8168 tablet);
// preloader_a04br3.bin holds no such path (a build without the strings): no platform.
//
// The rule: "/preloader/platform/", then "mt" and exactly four digits, then "/".  The name is
// upper-cased ("MT6765").  Two different names in one image: no platform (conflicting).
// The folder is MediaTek's platform folder, shared by sibling chips ("mt6761 and mt6765
// co-folder" in a MediaTek kernel Makefile [unattributed]; MT6762 phones build from mt6765 too):
// it may name the sibling the build.prop names, which readback2fw then asks the user to settle.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "base/bytes.h"

namespace mtkfw {

// Fed the image front to back in pieces of any size; keeps only the few bytes a path could
// straddle.  Pure.
class BuildPathScan {
public:
    void update(Bytes piece);
    // The one platform named, else nullopt (none, or several: see conflicting()).
    std::optional<std::string> platform() const;
    bool conflicting() const { return names_.size() > 1; }
    const std::set<std::string>& names() const { return names_; }

private:
    std::string pending_;  // the tail of the bytes so far that may start a path
    std::set<std::string> names_;
};

}  // namespace mtkfw
