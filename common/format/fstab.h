// Android fstab files (vendor/etc/fstab.<hardware>: what fs_mgr mounts), read for one question:
// which partition holds the key userdata is encrypted with.  Sources: AOSP system/core
// fs_mgr/fs_mgr_fstab.cpp (ReadFstabFromFile: the line layout, the option names) and
// https://source.android.com/docs/security/features/encryption/metadata (metadata encryption:
// `metadata_encryption=` and `keydirectory=/metadata/vold/metadata_encryption` on the /data line,
// the key on the partition mounted at /metadata).
//
// A line, fields separated by spaces or tabs ('#' starts a comment line; blank lines skipped):
//   field            example                                  what a reader does with it
//   blk_device       /dev/block/by-name/md_udc                any text; a by-name path names a
//                    /dev/block/platform/bootdevice/by-name/x GPT partition (by_name_partition)
//   mount_point      /metadata, /data                         any text
//   fs_type          ext4, f2fs, emmc                         any text
//   mount_flags      noatime,nosuid,...                       kept, not read
//   fs_mgr_flags     wait,check,keydirectory=/metadata/...    comma-separated NAME or NAME=VALUE
//                                                            (an empty flag or "=VALUE" is skipped)
// A line of fewer than 4 fields is skipped (fs_mgr refuses it; here it names no mount), the 5th
// field is optional (fs_mgr: "defaults").  A value may hold '=' and ':' (fileencryption=
// aes-256-xts:aes-256-cts:v2+inlinecrypt_optimized): only the first '=' splits.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mtkfw::fstab {

struct Entry {
    std::string device;       // blk_device
    std::string mount_point;  // "/data"
    std::string type;         // "f2fs"
    std::vector<std::pair<std::string, std::string>> flags;  // fs_mgr_flags: {"keydirectory", "/metadata/..."}

    bool has(std::string_view flag) const;          // NAME or NAME=... present
    std::string value(std::string_view flag) const;  // NAME=VALUE's VALUE, "" when absent
};

// Every mount line of `text`, in order; LF or CRLF.
std::vector<Entry> parse(std::string_view text);

// The first entry mounted at `mount_point`; nullptr when none.
const Entry* mounted_at(const std::vector<Entry>& entries, std::string_view mount_point);

// "md_udc" for ".../by-name/md_udc" (any prefix ending in /by-name/); "" for any other path.
std::string by_name_partition(std::string_view device);

// How the /data line says userdata is encrypted, and which partition holds its key:
//   metadata  metadata_encryption= or a keydirectory= under /metadata: the key on the partition
//             mounted at /metadata (key_partition: its by-name name, "" when not by-name)
//   full      forceencrypt=, encryptable=, forcefdeorfbe= (full-disk encryption): the key in the
//             crypto footer, on the partition the value names (key_partition) or, for "footer",
//             at the end of userdata itself (key_partition "")
//   file      fileencryption= alone (file-based encryption): the keys live inside /data
//   none      a /data line without any of them
//   ""        no /data line
struct UserdataKey {
    std::string encryption;
    std::string key_partition;
};
UserdataKey userdata_key(const std::vector<Entry>& entries);

}  // namespace mtkfw::fstab
