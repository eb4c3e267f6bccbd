// part-cut: copy one partition (by GPT name or index, or a logical partition of super by name)
// or a raw byte range out of a dump.
#include "cli/cli.h"
#include "io/copy.h"
#include "cli/gpt_options.h"
#include "ops/gpt_reader.h"
#include "io/input.h"
#include "base/number.h"
#include "io/output.h"
#include "ops/lp_listing.h"
#include "ops/partition_lookup.h"
#include "cli/progress_bar.h"

namespace {

const mtkfw::Tool kTool = {
    "part-cut",
    "[-o FILE] DUMP|SUPER_IMAGE NAME | [-o FILE] --index N [DUMP] | [-o FILE] --offset BYTES --size BYTES [DUMP]",
    "Copy one partition (by GPT name or index, or a logical partition inside super by name) or a raw "
    "byte range out of a dump, holes kept.",
    "part-cut -o boot.img sample/User boot",
};

constexpr uint64_t kLongCopy = 64ull << 20;  // progress by default from this size on a terminal

struct Range {
    std::vector<mtkfw::Piece> pieces;  // one for a GPT partition or a range; a logical
                                       // partition's extents in order
    std::string what;  // for messages: "partition boot", "partition super/system_a", "range 0+4096"
    uint64_t size() const {
        uint64_t n = 0;
        for (const mtkfw::Piece& p : pieces) n += p.length;
        return n;
    }
};

Range of_region(const mtkfw::Region& r) { return {r.pieces(), "partition " + r.name()}; }

void show_lookup(const mtkfw::Cli& cli, const mtkfw::Notices& notices) {
    for (const mtkfw::Notice& n : notices) {
        // The table's facts (sgpt tail, pipe) matter to gpt-list, not to a cut: show them with -v.
        if (n.level == mtkfw::Notice::Level::warning) cli.warn(n.text);
        else cli.verbose(n.text);
    }
}

// The range the command line asks for; reads the GPT (and super) when a partition is named.
Range choose_range(const mtkfw::Cli& cli, mtkfw::Input& in, const std::vector<std::string>& args) {
    if (cli.has("offset") || cli.has("size")) {
        if (!cli.has("offset") || !cli.has("size")) mtkfw::fail_usage("", "--offset and --size go together");
        const uint64_t offset = *cli.size("offset"), size = *cli.size("size");
        return {{{offset, size, false}}, "range " + std::to_string(offset) + "+" + std::to_string(size)};
    }
    mtkfw::Notices notices;
    mtkfw::lp::refuse_sparse(in);
    if (!cli.has("index") && mtkfw::lp::is_bare_super(in)) {
        const Range r = of_region(mtkfw::lp::logical_region(in, args.at(1), notices));
        show_lookup(cli, notices);
        return r;
    }
    mtkfw::GptReadOptions options;
    options.allow_truncated = true;
    options.sector_size = mtkfw::sector_size_option(cli);
    const mtkfw::PartitionTable table = mtkfw::read_gpt(in, options, notices);
    show_lookup(cli, notices);
    notices.clear();
    if (cli.has("index")) {
        const mtkfw::PartitionRow& row = mtkfw::partition_numbered(table, *cli.size("index"), in.name());
        return {{{row.start, row.size, false}}, "partition " + row.name};
    }
    // A pipe cannot show super: GPT names only, as before.
    if (!in.seekable()) {
        const mtkfw::PartitionRow& row = mtkfw::partition_named(table, args.at(1), in.name());
        return {{{row.start, row.size, false}}, "partition " + row.name};
    }
    const Range r = of_region(mtkfw::lp::partition_region(in, table, args.at(1), notices));
    show_lookup(cli, notices);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
        cli.options().add_options()
            ("index", mtkfw::po::value<std::string>(), "the partition of GPT entry N (1-based, as gpt-list shows)")
            ("offset", mtkfw::po::value<std::string>(), "start of a raw range (no GPT needed); with --size")
            ("size", mtkfw::po::value<std::string>(), "length of the raw range; with --offset")
            ("sector-size", mtkfw::po::value<std::string>(), "GPT sector size, 512 or 4096 (default: detected)");
        cli.positional("DUMP", 1);
        cli.positional("NAME", 1);
        if (!cli.parse()) return 0;

        const auto& args = cli.inputs();
        const bool raw = cli.has("offset") || cli.has("size");
        if (raw && cli.has("index")) mtkfw::fail_usage("", "--index and --offset/--size exclude each other");
        if (raw || cli.has("index")) {
            if (args.size() > 1) mtkfw::fail_usage("", "a partition NAME goes without --index or --offset/--size");
        } else if (args.size() < 2) {
            mtkfw::fail_usage("", "which partition? Give DUMP NAME, --index N or --offset and --size "
                                  "(try 'part-cut --help')");
        }

        mtkfw::Input in = mtkfw::Input::open(cli.input());
        const Range range = choose_range(cli, in, args);
        for (const mtkfw::Piece& p : range.pieces) {
            if (!p.zero) mtkfw::check_range(in, p.offset, p.length, range.what);
        }

        mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in}, {.binary = true, .explicit_stdout = cli.explicit_stdout()});
        mtkfw::ProgressBar progress(cli.progress(range.size() >= kLongCopy), "part-cut: " + range.what);
        const mtkfw::ProgressFn whole = progress.callback();
        mtkfw::CopyReport report;
        uint64_t done = 0;  // bytes of the earlier pieces, so the bar counts the whole partition
        for (const mtkfw::Piece& p : range.pieces) {
            if (p.zero) {
                out.skip_zeros(p.length);
                report.hole_bytes += out.regular() ? p.length : 0;
            } else {
                const mtkfw::ProgressFn piece_progress =
                    whole ? mtkfw::ProgressFn([&, done](uint64_t n, uint64_t) { whole(done + n, range.size()); })
                          : mtkfw::ProgressFn();
                const mtkfw::CopyReport r = mtkfw::copy_range(in, p.offset, p.length, out, range.what, piece_progress);
                report.hole_bytes += r.hole_bytes;
                report.method = r.method;
            }
            report.bytes += p.length;
            done += p.length;
        }
        out.commit();
        progress.finish();
        cli.verbose(range.what + ": " + std::to_string(report.bytes) + " bytes in " + std::to_string(range.pieces.size()) +
                    (range.pieces.size() == 1 ? " piece" : " pieces") + " from offset " +
                    std::to_string(range.pieces.empty() ? 0 : range.pieces[0].offset) + " to " + out.name() + " by " +
                    (report.method.empty() ? "holes" : report.method) + ", " + std::to_string(report.hole_bytes) +
                    " bytes left as holes");
        return 0;
    });
}
