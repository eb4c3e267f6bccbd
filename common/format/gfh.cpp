#include "format/gfh.h"

#include <algorithm>
#include <vector>

#include "base/text.h"

namespace mtkfw {
namespace {

using namespace gfh;

constexpr uint32_t kChainAlign = 16;
constexpr uint8_t kSigPhash = 1, kSigSingleAndPhash = 3;
constexpr uint32_t kSigHashVersion = 1;  // SIG_HASH_VER: RSA2048 + SHA256

// Where the expected SHA-256 sits inside the signature, by sig_type; nullopt: not there.
std::optional<size_t> hash_offset_in_signature(uint8_t sig_type) {
    if (sig_type == kSigPhash) return 0;
    if (sig_type == kSigSingleAndPhash) return 4;
    return std::nullopt;
}

}  // namespace

bool safe_file_name(const std::string& s) {
    if (s.empty() || s.size() > kBloaderNameMax || s[0] == '.') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-' || c == '+';
    });
}

bool looks_like_gfh(Bytes b) {
    return has_magic(b, kMagicAt, kMagic) && has_magic(b, kIdentifierAt, kIdentifier.substr(0, 10));
}

GfhFileInfo parse_gfh_file_info(Bytes b, const std::string& what) {
    if (b.size() < kGfhFileInfoSize) fail_input(what, "truncated: a GFH FILE_INFO needs 56 bytes");
    if (!has_magic(b, kMagicAt, kMagic)) fail_input(what, "no GFH block (no \"MMM\" magic)");
    if (b[kVersionAt] != kFileInfoVersion) {
        fail_input(what, "GFH FILE_INFO version " + std::to_string(b[kVersionAt]) + " (only 1 is known)");
    }
    if (le16(b, kBlockSizeAt) != kGfhFileInfoSize || le16(b, kBlockTypeAt) != kFileInfoType) {
        fail_input(what, "the first GFH block is not a FILE_INFO (size " + hex(le16(b, kBlockSizeAt)) + ", type " +
                             std::to_string(le16(b, kBlockTypeAt)) + ")");
    }
    if (!has_magic(b, kIdentifierAt, kIdentifier)) fail_input(what, "GFH FILE_INFO identifier is not \"FILE_INFO\"");
    GfhFileInfo f;
    f.file_ver = le32(b, kFileVerAt);
    f.file_type = le16(b, kFileTypeAt);
    f.flash_dev = b[kFlashDevAt];
    f.sig_type = b[kSigTypeAt];
    f.load_addr = le32(b, kLoadAddrAt);
    f.file_len = le32(b, kFileLenAt);
    f.max_size = le32(b, kMaxSizeAt);
    f.content_offset = le32(b, kContentOffsetAt);
    f.sig_len = le32(b, kSigLenAt);
    f.jump_offset = le32(b, kJumpOffsetAt);
    f.attr = le32(b, kAttrAt);

    if (f.file_type != kGfhFileTypeArmBl) {
        fail_input(what, "GFH file_type " + std::to_string(f.file_type) + " is not 1 (ARM_BL): not a preloader");
    }
    if (f.file_len > f.max_size) {
        fail_input(what, "GFH file_len " + std::to_string(f.file_len) + " is larger than max_size " +
                             std::to_string(f.max_size));
    }
    if (f.content_offset < kGfhFileInfoSize || f.content_offset > kGfhMaxContentOffset) {
        fail_input(what, "GFH content_offset " + hex(f.content_offset) + " is outside 0x38..0x100000");
    }
    if (static_cast<uint64_t>(f.content_offset) + f.sig_len > f.file_len) {
        fail_input(what, "GFH content_offset " + hex(f.content_offset) + " + sig_len " + std::to_string(f.sig_len) +
                             " is past file_len " + std::to_string(f.file_len));
    }
    if (f.jump_offset != 0 && (f.jump_offset < f.content_offset || f.jump_offset >= f.signature_offset())) {
        fail_input(what, "GFH jump_offset " + hex(f.jump_offset) + " is outside the code (" +
                             hex(f.content_offset) + ".." + hex(f.signature_offset()) + ")");
    }
    return f;
}

int check_gfh_chain(Bytes head, const GfhFileInfo& info, const std::string& what) {
    const uint32_t end = info.content_offset;
    if (head.size() < end) fail_input(what, "truncated inside the GFH blocks");
    uint32_t at = 0;
    int blocks = 0;
    while (at < end && has_magic(head, at + kMagicAt, kMagic)) {
        if (end - at < kBlockHeaderSize) break;
        const uint16_t size = le16(head, at + kBlockSizeAt);
        if (size < kBlockHeaderSize || size > end - at) {
            fail_input(what, "broken GFH chain: the block at " + hex(at) + " (size " + hex(size) +
                                 ") runs past content_offset " + hex(end));
        }
        at += size;
        ++blocks;
    }
    const bool zero_gap = all_equal(head.subspan(at, end - at), 0);
    if (at != end && (end - at >= kChainAlign || !zero_gap)) {
        fail_input(what, "broken GFH chain: it ends at " + hex(at) + " but content_offset is " + hex(end));
    }
    return blocks;
}

std::string flash_dev_name(uint8_t d) {
    switch (d) {
        case 0: return "none";
        case 1: return "nor";
        case 2: return "nand-sequential";
        case 3: return "nand-ttbl";
        case 4: return "nand-fdm50";
        case 5: return "emmc-boot";
        case 6: return "emmc-data";
        case 7: return "sf";
        case 8: return "xboot";
        case 9: return "spi-nand";
        case 12: return "ufs";
        case 14: return "combo";
        default: return "unknown";
    }
}

std::string sig_type_name(uint8_t s) {
    switch (s) {
        case 0: return "none";
        case 1: return "phash";
        case 2: return "single";
        case 3: return "single-and-phash";
        case 4: return "multi";
        case 5: return "cert-chain";
        default: return "unknown";
    }
}

std::string hash_check_name(HashCheck c) {
    switch (c) {
        case HashCheck::ok: return "ok";
        case HashCheck::mismatch: return "mismatch";
        case HashCheck::not_present: break;
    }
    return "not present";
}

GfhImageCheck::GfhImageCheck(const GfhFileInfo& info) : info_(info) {
    const uint64_t sig = info.signature_offset();
    emi_begin_ = sig - std::min<uint64_t>(sig - info.content_offset, kEmiWindow + 4);
}

// Appends to `into` the part of `piece` (image bytes from `at`) inside [begin, begin + len).
void GfhImageCheck::keep(Bytes piece, uint64_t at, uint64_t begin, std::string* into, uint64_t len) {
    const uint64_t lo = std::max(at, begin), hi = std::min(at + piece.size(), begin + len);
    if (lo < hi) into->append(reinterpret_cast<const char*>(piece.data() + (lo - at)), hi - lo);
}

void GfhImageCheck::update(Bytes piece) {
    const uint64_t at = fed_;
    if (at >= info_.file_len) return;
    piece = piece.first(static_cast<size_t>(std::min<uint64_t>(piece.size(), info_.file_len - at)));
    const uint64_t sig = info_.signature_offset();
    if (at < sig) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(piece.size(), sig - at));
        sha256_.update(piece.first(n));
    }
    keep(piece, at, emi_begin_, &emi_window_, sig - emi_begin_);
    keep(piece, at, sig, &sig_head_, 4 + 32);
    build_path_.update(piece);
    fed_ += piece.size();
}

GfhTrailer GfhImageCheck::finish() {
    GfhTrailer t;
    t.platform = build_path_.platform();
    t.platforms_seen.assign(build_path_.names().begin(), build_path_.names().end());
    const std::vector<uint8_t> digest = sha256_.final();
    std::copy_n(digest.begin(), t.sha256_computed.size(), t.sha256_computed.begin());

    const Bytes sig(reinterpret_cast<const uint8_t*>(sig_head_.data()), sig_head_.size());
    const std::optional<size_t> hash_at = hash_offset_in_signature(info_.sig_type);
    const bool versioned = info_.sig_type == kSigSingleAndPhash;
    if (hash_at && sig.size() >= *hash_at + 32 && (!versioned || le32(sig, 0) == kSigHashVersion)) {
        std::array<uint8_t, 32> expected{};
        std::copy_n(sig.begin() + static_cast<std::ptrdiff_t>(*hash_at), 32, expected.begin());
        t.sha256_expected = expected;
        t.sha256 = expected == t.sha256_computed ? HashCheck::ok : HashCheck::mismatch;
    }

    const Bytes w(reinterpret_cast<const uint8_t*>(emi_window_.data()), emi_window_.size());
    if (w.size() < 4) return t;
    const uint32_t emi_len = le32(w, w.size() - 4);
    if (emi_len < kBloaderNameAt || emi_len > w.size() - 4) return t;
    const Bytes emi = w.subspan(w.size() - 4 - emi_len, emi_len);
    const std::string tag = ascii_field(emi, kBloaderTagAt, kBloaderNameAt - kBloaderTagAt);
    if (tag.size() <= kBloaderTag.size() || tag.compare(0, kBloaderTag.size(), kBloaderTag) != 0) return t;
    t.bloader_version = tag.substr(kBloaderTag.size() - 1);
    const std::string name = ascii_field(emi, kBloaderNameAt, std::min(emi.size() - kBloaderNameAt, kBloaderNameMax + 1));
    if (safe_file_name(name)) t.file_name = name;
    else t.unsafe_file_name = !name.empty();
    return t;
}

}  // namespace mtkfw
