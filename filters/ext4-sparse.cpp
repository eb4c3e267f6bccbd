// ext4-sparse: an ext2/3/4 or f2fs image (or a partition inside a dump, or a super holding LP
// metadata) to an Android sparse image that skips free blocks, and back with -d.
#include <cstdlib>
#include <optional>
#include <string>

#include "base/number.h"
#include "base/text.h"
#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "format/digest_record.h"
#include "ops/recorded_digests.h"
#include "io/input.h"
#include "io/output.h"
#include "ops/ext4_volume.h"
#include "ops/f2fs_map.h"
#include "ops/fs_placement.h"
#include "ops/sparse_decode.h"
#include "ops/sparse_encode.h"
#include "ops/sparse_verify.h"
#include "ops/super_map.h"

namespace {

constexpr mtkfw::Hint kHints[] = {
    {mtkfw::Remedy::copy_every_block, "use --all-blocks to copy every block instead"},
    {mtkfw::Remedy::expand_sparse, "expand it first with ext4-sparse -d (or simg2img)"},
};

const mtkfw::Tool kTool = {
    "ext4-sparse",
    "[-o FILE] [--offset BYTES --size BYTES] [--all-blocks] [--info] [IMAGE]\n"
    "       ext4-sparse -d [-o FILE] [SPARSE]\n"
    "       ext4-sparse --verify SPARSE [-o FILE] [--offset BYTES --size BYTES] [--all-blocks] IMAGE\n"
    "         [--record FILE [--md5]]",
    "Write an ext2/3/4 or f2fs image (or a partition of a dump) as an Android sparse image that\n"
    "skips free blocks (f2fs: the main-area blocks its SIT calls invalid); -d expands a sparse\n"
    "image back to a raw one.  A super partition (LP metadata at its start) becomes one sparse\n"
    "image of the whole partition: metadata kept, each logical\n"
    "partition by its content (ext4 free blocks skipped, erofs and others whole), space no extent\n"
    "uses skipped; --info shows the split per logical partition.  From a pipe every block of every\n"
    "extent is kept (give a file to skip ext4 free blocks inside super).",
    "gpt-list --tsv sample/User; ext4-sparse --offset 0x8000000 --size 0x10000000 sample/User > system.img",
    kHints,
};

std::string count_line(const char* name, uint64_t chunks, uint64_t blocks, uint32_t blk_sz) {
    return std::string(name) + " " + std::to_string(chunks) + " chunks, " + std::to_string(blocks) + " blocks (" +
           mtkfw::human_bytes(blocks * blk_sz) + ")";
}

void describe(const mtkfw::Cli& cli, const mtkfw::sparse::Summary& s) {
    cli.info("sparse image: " + std::to_string(s.blk_sz) + "-byte blocks, " + std::to_string(s.total_blocks) +
             " blocks (" + mtkfw::human_bytes(s.total_blocks * s.blk_sz) + "), " + std::to_string(s.chunks()) +
             " chunks, " + std::to_string(s.file_bytes) + " bytes (" + mtkfw::human_bytes(s.file_bytes) + ")");
    cli.info("  " + count_line("RAW", s.raw_chunks, s.raw_blocks, s.blk_sz));
    cli.info("  " + count_line("FILL", s.fill_chunks, s.fill_blocks, s.blk_sz));
    cli.info("  " + count_line("DONT_CARE", s.dont_care_chunks, s.dont_care_blocks, s.blk_sz));
    if (s.crc_chunks) cli.info("  CRC32 " + std::to_string(s.crc_chunks) + " chunks");
    cli.info("  a flasher writes " + std::to_string(s.written_bytes()) + " bytes (" +
             mtkfw::human_bytes(s.written_bytes()) + ")");
}

// A super's split: one line per logical partition (and the metadata, and the unallocated space).
void describe_super(const mtkfw::Cli& cli, const mtkfw::EncodeReport& r) {
    cli.info("super: " + r.label + "; " + std::to_string(r.partitions.size() - 2) +
             " with extents, in 4096-byte blocks:");
    for (const mtkfw::lp::SplitRow& row : r.partitions) {
        cli.info("  " + row.name + " (" + row.content + "): " + std::to_string(row.blocks) + " blocks, " +
                 std::to_string(row.used) + " used (RAW " + std::to_string(row.raw) + ", FILL " +
                 std::to_string(row.fill) + "), DONT_CARE " + std::to_string(row.dont_care));
    }
}

// --offset and --size of both modes: checked once that together they fit in 64 bits.
using Placement = mtkfw::FsPlacement;
Placement placement(const mtkfw::Cli& cli) {
    Placement p{cli.size("offset").value_or(0), cli.size("size")};
    if (p.size) mtkfw::check_no_wrap(p.offset, *p.size, "--offset/--size");
    return p;
}

// --offset into a dump: checked against the file system there and the GPT (ops/fs_placement.h).
void check_placement(const mtkfw::Cli& cli, mtkfw::Input& in, const Placement& where) {
    if (!cli.has("offset") || cli.has("all-blocks")) return;
    mtkfw::Notices notices;
    mtkfw::check_fs_placement(in, where, notices);
    cli.show(notices);
}

// --verify SPARSE: the pipeline's proof; key=value lines for scripts, on stdout or in -o FILE.
int verify(const mtkfw::Cli& cli) {
    if (cli.has("decode")) mtkfw::fail_usage("--verify", "takes no --decode");
    mtkfw::Input dump = mtkfw::Input::open(cli.input());
    if (!dump.seekable()) mtkfw::fail_usage("--verify", "the dump must be a file, not a pipe");
    mtkfw::Input image = mtkfw::Input::open(*cli.text("verify"));
    mtkfw::Output out = mtkfw::Output::open(cli.output(), {&dump, &image}, {.binary = false});
    const Placement where = placement(cli);
    const auto [offset, given_size] = where;
    if (offset > dump.size()) mtkfw::fail_input(dump.name(), "--offset is past the end");
    check_placement(cli, dump, where);
    const uint64_t size = given_size.value_or(dump.size() - offset);
    // The used blocks: none with --all-blocks, a super's map (ops/super_map.h), else ext4's bitmaps.
    mtkfw::Notices notices;
    std::optional<mtkfw::lp::SuperMap> super;
    std::optional<mtkfw::ext4::Volume> volume;
    std::optional<mtkfw::f2fs::Map> f2fs;
    mtkfw::sparse::UsedRange used;
    if (!cli.has("all-blocks") && size >= 4) {
        uint8_t magic[4];
        dump.read_at(magic, sizeof magic, offset);
        mtkfw::refuse_sparse(mtkfw::Bytes(magic, sizeof magic), dump.name());
    }
    if (!cli.has("all-blocks")) super = mtkfw::lp::SuperMap::detect(dump, offset, size, notices);
    if (super) {
        used = super->used_range();
    } else if (!cli.has("all-blocks") && mtkfw::f2fs::looks_like_f2fs(dump, offset, size)) {
        f2fs.emplace(mtkfw::f2fs::read_map(dump, offset, size, notices));
        used = f2fs->used_range();
    } else if (!cli.has("all-blocks")) {
        volume.emplace(mtkfw::ext4::Volume::open(dump, offset, size));
        used = mtkfw::sparse::used_range(*volume);
    }
    // --record: the digests Checksum.ini needs of SPARSE, from this same read (fw-checksum --records).
    std::optional<mtkfw::DigestStream> tap;
    std::optional<mtkfw::Output> record;
    if (const auto path = cli.text("record")) {
        tap.emplace(mtkfw::DigestKinds{true, cli.has("md5"), false});
        record.emplace(mtkfw::Output::open(*path, {&dump, &image}, {.binary = false}));
    }
    const mtkfw::sparse::Summary s = mtkfw::sparse::verify(image, dump, offset, size, used, notices, tap ? &*tap : nullptr);
    if (tap) {
        record->write(mtkfw::write_digest_record(mtkfw::record_of(tap->finish(), cli.has("md5"))));
        record->commit();
    }
    out.write("verified=ok\nblocks=" + std::to_string(s.total_blocks) + "\nraw_blocks=" + std::to_string(s.raw_blocks) +
              "\nfill_blocks=" + std::to_string(s.fill_blocks) + "\ndont_care_blocks=" +
              std::to_string(s.dont_care_blocks) + "\nflashed_bytes=" + std::to_string(s.written_bytes()) + "\n");
    out.commit();
    cli.show(notices);
    return 0;
}

// -d: the sparse image expanded.
int decode(const mtkfw::Cli& cli, mtkfw::Input& in, mtkfw::Output& out, bool info) {
    mtkfw::Notices notices;
    mtkfw::ProgressBar progress(cli.progress(true), "ext4-sparse -d");
    const mtkfw::sparse::Summary s = mtkfw::sparse::decode(in, out, progress.callback(), notices);
    out.commit();
    progress.finish();
    cli.show(notices);
    if (info) describe(cli, s);
    return 0;
}

// The partition (or file system image) as a sparse image.
int encode(const mtkfw::Cli& cli, mtkfw::Input& in, mtkfw::Output& out, bool info) {
    mtkfw::EncodeOptions options;
    const Placement where = placement(cli);
    check_placement(cli, in, where);
    options.offset = where.offset;
    options.size = where.size;
    options.all_blocks = cli.has("all-blocks");
    mtkfw::ProgressBar progress(cli.progress(true), "ext4-sparse");
    options.progress = progress.callback();
    if (const char* tmp = std::getenv("TMPDIR"); tmp && *tmp) options.scratch_folder = tmp;
    mtkfw::Notices notices;
    const mtkfw::EncodeReport r = mtkfw::encode_sparse(in, out, options, notices);
    progress.finish();
    out.commit();
    cli.show(notices);
    if (!info) return 0;
    if (r.file_system) {
        cli.info(std::string(r.f2fs ? "f2fs" : "file system") + (r.label.empty() ? std::string() : " '" + r.label + "'") +
                 ": " + std::to_string(r.fs_blocks) + " blocks, " + std::to_string(r.used_blocks) + " used (" +
                 mtkfw::human_bytes(r.used_blocks * r.sparse.blk_sz) + ")");
    }
    if (r.f2fs) {
        cli.info("  " + std::to_string(r.f2fs_valid_blocks) + " main-area blocks valid by the SIT; the rest of the used "
                 "blocks: metadata areas, current segments, the tail past the main area");
    }
    if (r.super) describe_super(cli, r);
    describe(cli, r.sparse);
    if (r.method == "spooled") cli.info("  built in a scratch file in " + options.scratch_folder + " (output is a pipe)");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
        cli.options().add_options()
            ("decode,d", "expand a sparse image to a raw image (DONT_CARE as holes in a file)")
            ("offset", mtkfw::po::value<std::string>(), "the file system starts at byte BYTES of the input")
            ("size", mtkfw::po::value<std::string>(), "the partition is BYTES long (default: to the end; with --offset into a dump, give it)")
            ("all-blocks", "not ext4: read every block; zero/pattern runs FILL, holes DONT_CARE")
            ("info", "print a summary of the image on stderr (as -v does)")
            ("verify", mtkfw::po::value<std::string>(), "prove the sparse image SPARSE against the partition in IMAGE "
                                                         "(--offset/--size): every written block equal, every used block written")
            ("record", mtkfw::po::value<std::string>(), "with --verify: also write the digest record of SPARSE to FILE, "
                                                         "from the same read (fw-checksum --records reads it)")
            ("md5", "with --record: put the MD5 in it");
        cli.positional("IMAGE", 1);
        if (!cli.parse()) return 0;
        const bool decoding = cli.has("decode");
        if (decoding && (cli.has("offset") || cli.has("size") || cli.has("all-blocks"))) {
            mtkfw::fail_usage("--decode", "takes no --offset, --size or --all-blocks");
        }
        if ((cli.has("record") || cli.has("md5")) && !cli.has("verify")) {
            mtkfw::fail_usage(cli.has("record") ? "--record" : "--md5", "goes with --verify (the digests of the image it proves)");
        }
        if (cli.has("md5") && !cli.has("record")) mtkfw::fail_usage("--md5", "goes with --record");
        if (cli.has("verify")) return verify(cli);
        mtkfw::Input in = mtkfw::Input::open(cli.input());
        mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in}, {.binary = true, .explicit_stdout = cli.explicit_stdout()});
        const bool info = cli.has("info") || cli.verbosity() >= 2;
        return decoding ? decode(cli, in, out, info) : encode(cli, in, out, info);
    });
}
