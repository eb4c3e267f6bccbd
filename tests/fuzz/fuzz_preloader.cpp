// Fuzzes the BOOT1 / GFH parsers (common/format/boot_header.h, gfh.h, ops/preloader.h) as bl-strip and the
// pipeline use them: the device header, BRLYT and descriptor, FILE_INFO, the GFH chain, the
// trailer (EMI block, MTK_BLOADER_INFO name, SHA-256 signature), on a file and on a pipe.
// Checked: a file and a pipe of the same bytes agree; a located preloader lies inside the input;
// feeding the image in pieces gives the trailer (and the build path's platform) that feeding it
// whole gives.
//
// Input: byte 0 holds options, the rest is the BOOT1 readback (or raw preloader).
//   bit 0     also read it through a pipe and compare
//   bits 1-7  piece size for the streaming check (1 + value * 37 bytes)
#include <algorithm>
#include <vector>

#include "format/boot_header.h"
#include "ops/content.h"
#include "fuzz_support.h"
#include "format/gfh.h"
#include "ops/preloader.h"

namespace {

mtkfw::GfhTrailer feed(mtkfw::Bytes image, const mtkfw::GfhFileInfo& info, size_t piece) {
    mtkfw::GfhImageCheck check(info);
    for (size_t at = 0; at < image.size(); at += piece) check.update(image.subspan(at, std::min(piece, image.size() - at)));
    return check.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    const mtkfw::Bytes boot(data + 1, size - 1);
    const mtkfw::Bytes head = boot.first(std::min(boot.size(), mtkfw::kBootHeadBytes));

    mtkfw::describe_non_boot(head);
    mtkfw::Notices notices;
    fuzz::accepts([&] {
        const mtkfw::BootLayout layout = mtkfw::locate_gfh(head, "fuzz", notices);
        if (layout.gfh_offset >= boot.size()) return;
        const mtkfw::Bytes image = boot.subspan(layout.gfh_offset);
        if (image.size() < mtkfw::kGfhFileInfoSize) return;
        const mtkfw::GfhFileInfo info = mtkfw::parse_gfh_file_info(image, "fuzz");
        FUZZ_CHECK(info.file_len <= info.max_size && info.sig_len <= info.file_len);
        mtkfw::check_gfh_chain(image.first(std::min<size_t>(image.size(), info.content_offset)), info, "fuzz");
        if (image.size() < info.file_len) return;
        const mtkfw::Bytes whole = image.first(info.file_len);
        const mtkfw::GfhTrailer a = feed(whole, info, whole.size() + 1);
        const mtkfw::GfhTrailer b = feed(whole, info, 1 + (flags >> 1) * 37u);
        FUZZ_CHECK(a.sha256 == b.sha256 && a.sha256_computed == b.sha256_computed);
        FUZZ_CHECK(a.file_name == b.file_name && a.bloader_version == b.bloader_version);
        FUZZ_CHECK(a.platform == b.platform && a.platforms_seen == b.platforms_seen);
        mtkfw::preloader_file_name(a);
    });

    // The whole filter path, reading a file.
    fuzz::MemFile file(boot.data(), boot.size());
    mtkfw::Input in = mtkfw::Input::open(file.path());
    mtkfw::PreloaderReport from_file;
    const bool file_ok = fuzz::accepts([&] {
        from_file = mtkfw::extract_preloader(in, nullptr, notices);
        mtkfw::preloader_report_text(from_file);
        mtkfw::preloader_report_json(from_file);
    });
    mtkfw::Input again = mtkfw::Input::open(file.path());
    fuzz::accepts([&] {
        const mtkfw::PreloaderRange r = mtkfw::locate_preloader(again, notices);
        FUZZ_CHECK(r.offset + r.length <= boot.size());
        FUZZ_CHECK(file_ok && r.offset == from_file.layout.gfh_offset && r.length == from_file.info.file_len);
    });

    if (flags & 1) {
        fuzz::PipeFile pipe(boot.data(), boot.size());
        mtkfw::Input pin = mtkfw::Input::open(pipe.path());
        pipe.close_writer();
        mtkfw::PreloaderReport from_pipe;
        const bool pipe_ok = fuzz::accepts([&] { from_pipe = mtkfw::extract_preloader(pin, nullptr, notices); });
        if (boot.size() <= (1u << 20)) {  // the whole input fit into the pipe
            FUZZ_CHECK(pipe_ok == file_ok);
            if (pipe_ok) {
                FUZZ_CHECK(from_pipe.info.file_len == from_file.info.file_len);
                FUZZ_CHECK(from_pipe.trailer.sha256_computed == from_file.trailer.sha256_computed);
            }
        }
    }
    return 0;
}
