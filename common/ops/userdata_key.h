// Which partition holds the key userdata is encrypted with, so that a restore of userdata brings
// it along (a userdata restored without its key reads as random bytes on the phone).
//
// 1. The fstab of the vendor partition (ops/fs_file.h read_vendor_fstab: /vendor/etc/fstab.*, in
//    the GPT or inside super, the active slot's vendor first: ops/named_fs.h), its /data line
//    read by format/fstab.h userdata_key: metadata encryption (the partition mounted at
//    /metadata), full-disk encryption (the partition its encryptable=/forceencrypt= value
//    names), file-based encryption alone or none (no key partition).
// 2. Without a vendor fstab that has a /data line: a rule, only for an f2fs userdata (f2fs userdata
//    comes with the Android 10+ builds whose fstabs put userdata's key on /metadata): the GPT
//    partition md_udc, else metadata.  Sources: MediaTek's own fstabs mount md_udc at /metadata on the layouts that
//    have both md_udc and metadata (fstab.mt6765, fstab.mt6768: "/dev/block/platform/bootdevice/
//    by-name/md_udc /metadata ext4 ... first_stage_mount", whose /data line carries
//    keydirectory=/metadata/vold/metadata_encryption); stock scatters with both: MT6765 Redmi 9A,
//    MT6768 biloba and p325a, MT6781; with metadata alone: MT6765 Lenovo ksu, MT6779, MT6833 (the
//    samples of doc/TESTING.md).  An ext4 userdata, or one of no file system we know (erased,
//    damaged, or encrypted with a key no source places), names none: MT6752-era phones (ext4
//    userdata, their metadata partition a crypto footer only when FDE was turned on) keep their
//    metadata partition out of the firmware as before.
#pragma once

#include <optional>
#include <string>

#include "base/failure.h"
#include "format/table.h"
#include "io/input.h"

namespace mtkfw {

struct UserdataKeyFacts {
    std::string partition;   // a GPT partition name ("md_udc"), "" when none holds the key
    std::string source;      // "fstab:super/vendor_a:/etc/fstab.mt6765" or "rule"
    std::string encryption;  // fstab.h's metadata|full|file|none; "" when the rule decided
};

// nullopt when the table has no userdata, or neither an fstab nor the rule names anything.  A
// vendor that cannot be read gives a warning Notice: the key is a convenience of the restore.
std::optional<UserdataKeyFacts> find_userdata_key(const Input& in, const PartitionTable& table, Notices& notices);

}  // namespace mtkfw
