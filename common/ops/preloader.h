// The preloader inside a BOOT1 readback: locating it (format/boot_header.h), checking its GFH (format/gfh.h)
// and copying exactly file_len bytes of it - never guessing the length from padding, never keeping
// padding.  Forward reads only, so files and pipes behave the same; memory stays bounded (the
// header, at most 1 MiB of GFH blocks, a 1 MiB copy buffer) whatever file_len says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <functional>

#include "base/failure.h"
#include "format/boot_header.h"
#include "format/gfh.h"
#include "io/input.h"
#include "io/output.h"

namespace mtkfw {

struct PreloaderReport {
    std::string input;  // name of the input, for messages and --info
    BootLayout layout;
    GfhFileInfo info;
    int gfh_blocks = 0;
    GfhTrailer trailer;
};

// Reads `in` forward from where it is, checks the header, the GFH and the length, and writes the
// preloader image to `out` when given (nothing else is written; the caller commits).  A seekable
// input too short for file_len fails before anything is written; a pipe fails when it ends.  A pipe
// is read to its end so the program writing it does not die of SIGPIPE.  Warnings go to
// `notices`: fallback offsets, a boot region too small, a SHA-256 mismatch, an unsafe file name.
PreloaderReport extract_preloader(Input& in, Output* out, Notices& notices);

// Runs once every check of write_preloader() passed; may throw to stop it (a tool's --strict).
using PreloaderApproval = std::function<void(const PreloaderReport&)>;

// The preloader of `in` written to `out`, checked before it is written: from a seekable input
// nothing is written before every check passed and `approve` returned (checked in one pass,
// copied in a second); a pipe is copied as it is checked and `approve` runs at its end, so the
// caller's commit is what it holds back.
PreloaderReport write_preloader(Input& in, Output& out, Notices& notices, const PreloaderApproval& approve);

// The file name a preloader is saved under: the stock name, else "preloader.bin".
std::string preloader_file_name(const GfhTrailer& trailer);

// The same checks and report for a BOOT1 readback or preloader image already in memory (a
// preloader file read with slurp(), a fuzz input).  Pure: no I/O.
PreloaderReport inspect_preloader(Bytes boot1, const std::string& what, Notices& notices);

struct PreloaderRange {
    uint64_t offset = 0;  // of the GFH image in the input
    uint64_t length = 0;  // file_len
};

// Where the preloader image lies in a seekable BOOT1 readback (or raw image), with the same
// header, GFH and length checks as extract_preloader() but without reading the image itself.
// Uses pread: the input's position is left alone.  The pipeline compares this range of BOOT1
// with the preloader file it wrote.
PreloaderRange locate_preloader(const Input& in, Notices& notices);

// The storage the preloader is for: its device header's ("emmc", "ufs", "combo", "sdmmc", ...),
// else, for a raw GFH image, its FILE_INFO flash_dev (5 "emmc", 12 "ufs", 14 "combo"; FORMATS.md
// "Preloader in BOOT1"); "unknown" for another flash_dev.  `from` says which: "header" or "flash_dev".
struct PreloaderStorage {
    std::string storage;
    std::string from;
};
PreloaderStorage preloader_storage(const PreloaderReport& r);

// --info (people) and --json (programs) views of a report.
std::string preloader_report_text(const PreloaderReport& r);
std::string preloader_report_json(const PreloaderReport& r);

// What a scatter needs from a preloader image (bl-strip's output: a GFH image at offset 0).
struct PreloaderImage {
    uint64_t max_size = 0;   // GFH FILE_INFO max_size: the scatter's preloader row size
    std::string file_name;   // MTK_BLOADER_INFO's stock name; empty when the image carries none
};

// Reads the preloader image `in` forward up to its file_len, checking its FILE_INFO and the
// SHA-256 of its signature (a mismatch is a warning in `notices`).  Throws Failure(invalid_input)
// when `in` does not start with a GFH image or ends before file_len.
PreloaderImage read_preloader_image(Input& in, Notices& notices);

// The project in a stock preloader name, "preloader_<project>.bin"; nullopt for any other name
// ("preloader.bin" carries none).
std::optional<std::string> project_of_preloader(const std::string& file_name);

// The project of a checked preloader (project_of_preloader of its stock name).  Throws
// Failure(invalid_input) naming the input when the preloader carries none.
std::string preloader_project(const PreloaderReport& report);

}  // namespace mtkfw
