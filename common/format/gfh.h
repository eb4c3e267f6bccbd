// MediaTek GFH (Generic File Header) images: the preloader as stock ROMs ship it
// (preloader_<project>.bin, scatter type SV5_BL_BIN), checked from byte spans only.
// Sources: doc/FORMATS.md "Preloader in BOOT1"; MediaTek br_GFH.h / gfh_defs.h (enums, SIG_*_LEN,
// GFH_MAX_CONTENT_OFFSET) as published in MediaTek SDK trees; cyrozap/mediatek-lte-baseband-re
// SoC/mediatek_preloader.ksy (signature layouts); shomykohai/hacc src/common/gfh/file_info.rs
// (FILE_INFO checks, flash_dev 12/14); bkerler/mtkclient DA/daconfig.py (MTK_BLOADER_INFO,
// name at +0x1B); the real samples doc/FORMATS.md "GFH preloader image" names (all facts below hold there).
//
// The fields are the constants in namespace gfh below, each with its width and expected value /
// what a mismatch means.
// The chain of blocks from offset 0 ends at content_offset; zero bytes up to the next 16-byte
// boundary may sit between its last block and content_offset (preloader_hs03s.bin: chain ends
// at 0xEC, content_offset 0xF0).  A block crossing content_offset or a longer gap: reject.
//
// Trailer, just before the signature (at file_len - sig_len):
//   u32 emi_len at file_len - sig_len - 4; the EMI block of emi_len bytes before it starts with
//   "MTK_BLOADER_INFO_v<NN>" and holds the original file name (preloader_<project>.bin) at +0x1B.
//   Absent or malformed: no version and no name (never an error).
// Signature (sig_len bytes at file_len - sig_len): sig_type 1 is the SHA-256 (32 bytes) of the
// image bytes before the signature; sig_type 3 is u32 version (1), that SHA-256, then a 256-byte
// RSA signature.  Other types carry no plain SHA-256 to check ("not present").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/evp_digest.h"
#include "base/failure.h"
#include "format/build_path.h"

namespace mtkfw {

constexpr size_t kGfhFileInfoSize = 0x38;
constexpr uint32_t kGfhMaxContentOffset = 0x100000;  // GFH_MAX_CONTENT_OFFSET, br_GFH.h
constexpr uint16_t kGfhFileTypeArmBl = 1;

namespace gfh {

// GFH block header (every block of the chain at the start of the image):
//                                             width  expected / on mismatch
constexpr size_t kMagicAt = 0x00;           // 3      "MMM" - not a GFH block (end of chain)
constexpr std::string_view kMagic = "MMM";
constexpr size_t kVersionAt = 0x03;         // 1      1 for FILE_INFO - reject: unknown FILE_INFO layout
constexpr size_t kBlockSizeAt = 0x04;       // 2      >= 8; 0x38 for FILE_INFO - reject: broken chain / unknown layout
constexpr size_t kBlockTypeAt = 0x06;       // 2      0 = FILE_INFO for the first block - reject: not a GFH image
constexpr size_t kBlockHeaderSize = 8;
constexpr uint8_t kFileInfoVersion = 1;
constexpr uint16_t kFileInfoType = 0;

// GFH_FILE_INFO v1 (kGfhFileInfoSize bytes, the first block, at offset 0 of the image):
constexpr size_t kIdentifierAt = 0x08;      // 12     "FILE_INFO" NUL-padded - reject
constexpr std::string_view kIdentifier{"FILE_INFO\0\0\0", 12};
constexpr size_t kFileVerAt = 0x14;         // 4      any - shown only
constexpr size_t kFileTypeAt = 0x18;        // 2      1 (ARM_BL: a preloader) - reject: not a preloader
constexpr size_t kFlashDevAt = 0x1A;        // 1      5 eMMC boot, 12 UFS, 14 COMBO, ... - shown only
constexpr size_t kSigTypeAt = 0x1B;         // 1      0 none, 1 PHASH, 2 SINGLE, 3 SINGLE_AND_PHASH, 4 MULTI,
                                            //        5 CERT_CHAIN
constexpr size_t kLoadAddrAt = 0x1C;        // 4      any - shown only
constexpr size_t kFileLenAt = 0x20;         // 4      the image length, signature included; <= max_size - reject
constexpr size_t kMaxSizeAt = 0x24;         // 4      >= file_len - reject
constexpr size_t kContentOffsetAt = 0x28;   // 4      0x38 .. kGfhMaxContentOffset; content_offset + sig_len
                                            //        <= file_len - reject
constexpr size_t kSigLenAt = 0x2C;          // 4      at the end of the image - reject (see content_offset)
constexpr size_t kJumpOffsetAt = 0x30;      // 4      0, or content_offset .. file_len - sig_len - 1 - reject
constexpr size_t kAttrAt = 0x34;            // 4      any - shown only

// EMI block of the trailer (below), from its start:
constexpr size_t kBloaderTagAt = 0x00;      // 0x1B   "MTK_BLOADER_INFO_v<NN>" NUL-padded - no version, no name
constexpr std::string_view kBloaderTag = "MTK_BLOADER_INFO_v";
constexpr size_t kBloaderNameAt = 0x1B;     // <= 64  the stock file name; not a plain file name - ignored
constexpr size_t kBloaderNameMax = 64;

}  // namespace gfh

struct GfhFileInfo {
    uint32_t file_ver = 0;
    uint16_t file_type = 0;
    uint8_t flash_dev = 0;
    uint8_t sig_type = 0;
    uint32_t load_addr = 0;
    uint32_t file_len = 0;
    uint32_t max_size = 0;
    uint32_t content_offset = 0;
    uint32_t sig_len = 0;
    uint32_t jump_offset = 0;
    uint32_t attr = 0;

    uint32_t signature_offset() const { return file_len - sig_len; }
};

// True when `b` starts with a GFH FILE_INFO block header and identifier (no field checks).
bool looks_like_gfh(Bytes b);

// Parses and checks the FILE_INFO block at the start of `b` (at least kGfhFileInfoSize bytes).
// Throws Failure (invalid input) naming `what` and the field that is wrong.
GfhFileInfo parse_gfh_file_info(Bytes b, const std::string& what);

// Walks the GFH chain in `head` (the image's first content_offset bytes, or more) and throws
// when it does not end at info.content_offset as described above.  Returns the block count.
int check_gfh_chain(Bytes head, const GfhFileInfo& info, const std::string& what);

// "emmc-boot", "ufs", ... and "phash", "single-and-phash", ...; "unknown" otherwise.
std::string flash_dev_name(uint8_t flash_dev);
std::string sig_type_name(uint8_t sig_type);

enum class HashCheck { ok, mismatch, not_present };
std::string hash_check_name(HashCheck c);  // "ok", "mismatch", "not present"

struct GfhTrailer {
    std::optional<std::string> bloader_version;  // "v28" of MTK_BLOADER_INFO_v28
    std::optional<std::string> file_name;        // "preloader_k6752.bin"; only a safe file name
    bool unsafe_file_name = false;               // a name was there but is not a plain file name
    HashCheck sha256 = HashCheck::not_present;
    std::array<uint8_t, 32> sha256_computed{};   // of the bytes before the signature
    std::optional<std::array<uint8_t, 32>> sha256_expected;
    std::optional<std::string> platform;      // "MT6765" from its build path (format/build_path.h)
    std::vector<std::string> platforms_seen;  // every name found: more than one is a conflict
};

// The rule for a preloader's stock file name (MTK_BLOADER_INFO's, or one a caller names): a plain
// file name of at most kBloaderNameMax characters from [A-Za-z0-9._+-], not starting with '.'.
bool safe_file_name(const std::string& s);

// The trailer facts of an image fed front to back in pieces of any size, without keeping the
// image: SHA-256 (base/evp_digest.h) of the bytes before the signature, small windows of the EMI
// block and of the signature, and the platform of its build path.  Pure: no I/O, usable on a whole image in one update().

class GfhImageCheck {
public:
    explicit GfhImageCheck(const GfhFileInfo& info);

    // The next bytes of the image; bytes past file_len are ignored.
    void update(Bytes piece);
    uint64_t fed() const { return fed_; }
    // Once file_len bytes were fed.
    GfhTrailer finish();

    // Bytes kept of the EMI block: an emi_len past this window means "no EMI block".
    static constexpr uint32_t kEmiWindow = 64 * 1024;

private:
    void keep(Bytes piece, uint64_t at, uint64_t begin, std::string* into, uint64_t len);
    GfhFileInfo info_;
    EvpDigest sha256_{EvpDigest::Kind::sha256};
    uint64_t fed_ = 0;
    uint64_t emi_begin_ = 0;  // window before the signature
    std::string emi_window_, sig_head_;
    BuildPathScan build_path_;
};

}  // namespace mtkfw
