#include "ops/preloader.h"

#include <algorithm>
#include <functional>
#include <vector>

#include "base/text.h"
#include "io/copy.h"
#include "ops/content.h"

namespace mtkfw {
namespace {

constexpr size_t kCopyChunk = size_t{1} << 20;

// The read buffer for an image of `file_len` bytes: no larger than the image (a 12 KiB preloader
// gets no zero-filled MiB), at least 64 KiB for draining a pipe.
size_t copy_chunk(uint64_t file_len) {
    return static_cast<size_t>(std::clamp<uint64_t>(file_len, 65536, kCopyChunk));
}

struct HeadCheck {
    BootLayout layout;
    GfhFileInfo info;
    int blocks = 0;
};

// The image's first `n` bytes (fewer at the end of the input), given where the image starts.
using ImagePrefix = std::function<Bytes(uint64_t gfh_offset, size_t n)>;

// Everything that can be checked before the image body: layout, FILE_INFO, chain, boot region.
HeadCheck check_head(Bytes head, const ImagePrefix& prefix, const std::string& what, Notices& notices) {
    if (!head.empty() && !is_boot_region(head)) {
        fail_input(what, std::string(kNotBootRegion) + ": it looks like " + describe_non_boot(head));
    }
    HeadCheck h;
    h.layout = locate_gfh(head, what, notices);
    const std::string at = what + ": preloader at " + hex(h.layout.gfh_offset);
    h.info = parse_gfh_file_info(prefix(h.layout.gfh_offset, kGfhFileInfoSize), at);
    h.blocks = check_gfh_chain(prefix(h.layout.gfh_offset, h.info.content_offset), h.info, at);
    const std::optional<Brlyt>& b = h.layout.brlyt;
    if (b && b->main_region != 0 && h.layout.gfh_offset + h.info.file_len > b->main_region) {
        notices.push_back({Notice::Level::warning,
                           "the preloader (" + std::to_string(h.info.file_len) + " bytes at " +
                               hex(h.layout.gfh_offset) + ") runs past the BRLYT's boot region end " +
                               hex(b->main_region)});
    }
    return h;
}

[[noreturn]] void fail_truncated(const std::string& what, const HeadCheck& h, uint64_t input_end) {
    const uint64_t need = h.layout.gfh_offset + h.info.file_len;
    fail_input(what, "truncated: the preloader's file_len is " + std::to_string(h.info.file_len) + " bytes from " +
                         hex(h.layout.gfh_offset) + ", so the input needs " + std::to_string(need) +
                         " bytes but ends at " + std::to_string(input_end));
}

// The trailer facts once the whole image went through `check`, and their warnings.
PreloaderReport finish_report(PreloaderReport r, GfhImageCheck& check, Notices& notices) {
    r.trailer = check.finish();
    if (r.trailer.sha256 == HashCheck::mismatch) {
        notices.push_back({Notice::Level::warning, "the SHA-256 in the signature does not match the image (sig_type " +
                                                       std::to_string(r.info.sig_type) +
                                                       "): damaged or modified preloader"});
    }
    if (r.trailer.unsafe_file_name) {
        notices.push_back({Notice::Level::warning, "the file name in MTK_BLOADER_INFO is not a plain file name: ignored"});
    }
    return r;
}

std::string opt_json(const std::optional<std::string>& s) { return s ? json_string(*s) : "null"; }

}  // namespace

PreloaderReport extract_preloader(Input& in, Output* out, Notices& notices) {
    PreloaderReport r;
    r.input = in.name();
    std::vector<uint8_t> head(kBootHeadBytes);
    head.resize(in.read(head.data(), head.size()));
    const uint64_t start = in.position() - head.size();

    // The image bytes read so far, from the GFH offset on.
    std::vector<uint8_t> image;
    const ImagePrefix prefix = [&](uint64_t gfh_offset, size_t n) {
        if (image.empty() && gfh_offset < head.size()) image.assign(head.begin() + static_cast<std::ptrdiff_t>(gfh_offset), head.end());
        if (image.empty() && in.position() - start < gfh_offset) in.skip(gfh_offset - (in.position() - start));
        if (image.size() < n) {
            const size_t had = image.size();
            image.resize(n);
            image.resize(had + in.read(image.data() + had, n - had));
        }
        return Bytes(image).first(std::min(n, image.size()));
    };
    const HeadCheck h = check_head(head, prefix, r.input, notices);
    r.layout = h.layout;
    r.info = h.info;
    r.gfh_blocks = h.blocks;
    if (in.seekable() && start + h.layout.gfh_offset + h.info.file_len > in.size()) fail_truncated(r.input, h, in.size());

    GfhImageCheck check(h.info);
    auto emit = [&](Bytes piece) {
        piece = piece.first(static_cast<size_t>(std::min<uint64_t>(piece.size(), h.info.file_len - check.fed())));
        check.update(piece);
        if (out) out->write(piece.data(), piece.size());
    };
    emit(image);
    std::vector<uint8_t> chunk(copy_chunk(h.info.file_len));
    while (check.fed() < h.info.file_len) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), h.info.file_len - check.fed()));
        const size_t got = in.read(chunk.data(), want);
        if (got == 0) fail_truncated(r.input, h, in.position() - start);
        emit(Bytes(chunk).first(got));
    }
    if (!in.seekable()) {
        while (in.read(chunk.data(), chunk.size()) > 0) {
        }
    }
    return finish_report(std::move(r), check, notices);
}

PreloaderReport inspect_preloader(Bytes boot1, const std::string& what, Notices& notices) {
    const ImagePrefix prefix = [&](uint64_t gfh_offset, size_t n) {
        const Bytes image = boot1.subspan(static_cast<size_t>(std::min<uint64_t>(gfh_offset, boot1.size())));
        return image.first(std::min(n, image.size()));
    };
    const HeadCheck h = check_head(boot1.first(std::min(boot1.size(), kBootHeadBytes)), prefix, what, notices);
    if (h.layout.gfh_offset + h.info.file_len > boot1.size()) fail_truncated(what, h, boot1.size());
    GfhImageCheck check(h.info);
    check.update(boot1.subspan(h.layout.gfh_offset, h.info.file_len));
    return finish_report({what, h.layout, h.info, h.blocks, {}}, check, notices);
}

PreloaderReport write_preloader(Input& in, Output& out, Notices& notices, const PreloaderApproval& approve) {
    if (!in.seekable()) {
        PreloaderReport r = extract_preloader(in, &out, notices);
        approve(r);
        return r;
    }
    const uint64_t start = in.position();
    PreloaderReport r = extract_preloader(in, nullptr, notices);
    approve(r);
    copy_range(in, start + r.layout.gfh_offset, r.info.file_len, out, "preloader", {});
    return r;
}

std::string preloader_file_name(const GfhTrailer& trailer) { return trailer.file_name.value_or("preloader.bin"); }

PreloaderRange locate_preloader(const Input& in, Notices& notices) {
    std::vector<uint8_t> head(kBootHeadBytes);
    head.resize(in.read_some_at(head.data(), head.size(), 0));
    std::vector<uint8_t> image;
    const ImagePrefix prefix = [&](uint64_t gfh_offset, size_t n) {
        image.resize(n);
        image.resize(in.read_some_at(image.data(), n, gfh_offset));
        return Bytes(image);
    };
    const HeadCheck h = check_head(head, prefix, in.name(), notices);
    if (h.layout.gfh_offset + h.info.file_len > in.size()) fail_truncated(in.name(), h, in.size());
    return {h.layout.gfh_offset, h.info.file_len};
}

PreloaderStorage preloader_storage(const PreloaderReport& r) {
    if (r.layout.device) return {r.layout.device->storage, "header"};
    // GFH's own names for flash_dev (format/gfh.h): 5 emmc-boot, 12 ufs, 14 combo.
    const std::string dev = flash_dev_name(r.info.flash_dev);
    if (dev == "emmc-boot") return {"emmc", "flash_dev"};
    return {dev == "ufs" || dev == "combo" ? dev : "unknown", "flash_dev"};
}

namespace {

// "MT6765", or why there is none.
std::string platform_text(const GfhTrailer& t) {
    if (t.platform) return *t.platform + " (build path in the preloader)";
    if (t.platforms_seen.empty()) return "not present (no .../preloader/platform/mtXXXX/ build path)";
    std::string names;
    for (const std::string& n : t.platforms_seen) names += (names.empty() ? "" : ", ") + n;
    return "conflicting (build paths name " + names + ")";
}

}  // namespace

std::string preloader_report_text(const PreloaderReport& r) {
    const BootLayout& layout = r.layout;
    const GfhFileInfo& info = r.info;
    const GfhTrailer& trailer = r.trailer;
    auto line = [](const std::string& key, const std::string& value) {
        return key + ":" + std::string(17 - key.size(), ' ') + value + "\n";
    };
    static const char* const kFrom[] = {"raw GFH image", "BRLYT descriptor", "documented default, no BRLYT"};
    std::string text = line("input", r.input);
    text += line("header", layout.device ? layout.device->id + " (storage " + layout.device->storage + ", block size " +
                                       std::to_string(layout.device->block_size) + ")"
                                 : "none");
    if (layout.brlyt) {
        text += line("brlyt", "at " + hex(layout.brlyt->offset) + ", version " + std::to_string(layout.brlyt->version) +
                               ", boot region " + hex(layout.brlyt->boot_region) + ".." + hex(layout.brlyt->main_region));
    } else {
        text += line("brlyt", "none");
    }
    const PreloaderStorage storage = preloader_storage(r);
    text += line("storage", storage.storage + (storage.from == "header" ? " (device header)"
                                                                         : " (flash_dev " + std::to_string(info.flash_dev) + ")"));
    text += line("platform", platform_text(trailer));
    text += line("preloader", "at " + hex(layout.gfh_offset) + " (" + kFrom[static_cast<int>(layout.from)] + ")");
    text += line("file_len", std::to_string(info.file_len) + " (" + hex(info.file_len) + ")");
    text += line("max_size", std::to_string(info.max_size) + " (" + hex(info.max_size) + ")");
    text += line("flash_dev", std::to_string(info.flash_dev) + " (" + flash_dev_name(info.flash_dev) + ")");
    text += line("sig_type", std::to_string(info.sig_type) + " (" + sig_type_name(info.sig_type) + ")");
    text += line("sig_len", std::to_string(info.sig_len));
    text += line("load_addr", hex(info.load_addr));
    text += line("content_offset", hex(info.content_offset) + " (" + std::to_string(r.gfh_blocks) + " GFH blocks)");
    text += line("jump_offset", hex(info.jump_offset));
    text += line("file_ver", std::to_string(info.file_ver));
    text += line("bloader_info", trailer.bloader_version ? "MTK_BLOADER_INFO_" + *trailer.bloader_version : "not present");
    text += line("file_name", trailer.file_name ? *trailer.file_name : "not present (saved as preloader.bin)");
    text += line("sha256", hash_check_name(trailer.sha256) + (trailer.sha256 == HashCheck::not_present ? "" : " (computed " + hex_bytes(trailer.sha256_computed) + ")"));
    return text;
}

std::string preloader_report_json(const PreloaderReport& r) {
    const BootLayout& layout = r.layout;
    const GfhFileInfo& info = r.info;
    const GfhTrailer& trailer = r.trailer;
    static const char* const kFrom[] = {"raw", "brlyt", "default"};
    auto num = [](const char* key, uint64_t v) { return std::string("  \"") + key + "\": " + std::to_string(v) + ",\n"; };
    auto str = [](const char* key, const std::string& v) { return std::string("  \"") + key + "\": " + v + ",\n"; };
    std::string s = "{\n";
    s += str("input", json_string(r.input));
    s += str("header", layout.device ? json_string(layout.device->id) : "null");
    const PreloaderStorage storage = preloader_storage(r);
    s += str("storage", json_string(storage.storage));
    s += str("storage_from", json_string(storage.from));
    s += str("platform", opt_json(trailer.platform));
    s += str("block_size", layout.device ? std::to_string(layout.device->block_size) : "null");
    s += str("brlyt_offset", layout.brlyt ? std::to_string(layout.brlyt->offset) : "null");
    s += num("gfh_offset", layout.gfh_offset);
    s += str("gfh_offset_from", json_string(kFrom[static_cast<int>(layout.from)]));
    s += num("file_len", info.file_len);
    s += num("max_size", info.max_size);
    s += num("file_ver", info.file_ver);
    s += num("file_type", info.file_type);
    s += num("flash_dev", info.flash_dev);
    s += str("flash_dev_name", json_string(flash_dev_name(info.flash_dev)));
    s += num("sig_type", info.sig_type);
    s += str("sig_type_name", json_string(sig_type_name(info.sig_type)));
    s += num("sig_len", info.sig_len);
    s += num("load_addr", info.load_addr);
    s += num("content_offset", info.content_offset);
    s += num("jump_offset", info.jump_offset);
    s += num("attr", info.attr);
    s += num("gfh_blocks", static_cast<uint64_t>(r.gfh_blocks));
    s += str("bloader_info_version", opt_json(trailer.bloader_version));
    s += str("file_name", opt_json(trailer.file_name));
    s += str("sha256", json_string(hash_check_name(trailer.sha256)));
    s += str("sha256_expected", trailer.sha256_expected ? json_string(hex_bytes(*trailer.sha256_expected)) : "null");
    s += "  \"sha256_computed\": " + json_string(hex_bytes(trailer.sha256_computed)) + "\n}\n";
    return s;
}

PreloaderImage read_preloader_image(Input& in, Notices& notices) {
    std::vector<uint8_t> head(kGfhFileInfoSize);
    head.resize(in.read(head.data(), head.size()));
    if (!looks_like_gfh(head)) {
        fail_input(in.name(), "not a preloader image (no GFH FILE_INFO at offset 0; bl-strip makes one from BOOT1)");
    }
    const GfhFileInfo info = parse_gfh_file_info(head, in.name());
    GfhImageCheck check(info);
    check.update(head);
    std::vector<uint8_t> chunk(copy_chunk(info.file_len));
    while (check.fed() < info.file_len) {
        const size_t got = in.read(chunk.data(), chunk.size());
        if (got == 0) fail_input(in.name(), "truncated: shorter than its GFH file_len " + std::to_string(info.file_len));
        check.update(Bytes(chunk).first(got));
    }
    const GfhTrailer trailer = check.finish();
    if (trailer.sha256 == HashCheck::mismatch) {
        notices.push_back({Notice::Level::warning, in.name() + ": SHA-256 mismatch: the image is damaged"});
    }
    return {info.max_size, trailer.file_name.value_or("")};
}

std::optional<std::string> project_of_preloader(const std::string& file_name) {
    constexpr std::string_view kPrefix = "preloader_", kSuffix = ".bin";
    if (file_name.size() <= kPrefix.size() + kSuffix.size() || !file_name.starts_with(kPrefix) ||
        !file_name.ends_with(kSuffix)) {
        return std::nullopt;
    }
    return file_name.substr(kPrefix.size(), file_name.size() - kPrefix.size() - kSuffix.size());
}

std::string preloader_project(const PreloaderReport& report) {
    const auto project = project_of_preloader(preloader_file_name(report.trailer));
    if (!project) {
        fail_input(report.input, "the preloader carries no project name (it is saved as " +
                                     preloader_file_name(report.trailer) + ")");
    }
    return *project;
}

}  // namespace mtkfw
