// part-cut: copy one partition (by GPT name or index) or a raw byte range out of a dump.
#include "cli/cli.h"
#include "io/copy.h"
#include "cli/gpt_options.h"
#include "ops/gpt_reader.h"
#include "io/input.h"
#include "base/number.h"
#include "io/output.h"
#include "ops/partition_lookup.h"
#include "cli/progress_bar.h"

namespace {

const mtkfw::Tool kTool = {
    "part-cut",
    "[-o FILE] DUMP NAME | [-o FILE] --index N [DUMP] | [-o FILE] --offset BYTES --size BYTES [DUMP]",
    "Copy one partition (by GPT name or index) or a raw byte range out of a dump, holes kept.",
    "part-cut -o boot.img sample/User boot",
};

constexpr uint64_t kLongCopy = 64ull << 20;  // progress by default from this size on a terminal

struct Range {
    uint64_t offset = 0, size = 0;
    std::string what;  // for messages: "partition boot", "range 0+4096"
};

// The range the command line asks for; reads the GPT when a partition is named.
Range choose_range(const mtkfw::Cli& cli, mtkfw::Input& in, const std::vector<std::string>& args) {
    if (cli.has("offset") || cli.has("size")) {
        if (!cli.has("offset") || !cli.has("size")) mtkfw::fail_usage("", "--offset and --size go together");
        const uint64_t offset = *cli.size("offset"), size = *cli.size("size");
        return {offset, size, "range " + std::to_string(offset) + "+" + std::to_string(size)};
    }
    mtkfw::GptReadOptions options;
    options.allow_truncated = true;
    options.sector_size = mtkfw::sector_size_option(cli);
    mtkfw::Notices notices;
    const mtkfw::PartitionTable table = mtkfw::read_gpt(in, options, notices);
    for (const mtkfw::Notice& n : notices) {
        // The table's facts (sgpt tail, pipe) matter to gpt-list, not to a cut: show them with -v.
        if (n.level == mtkfw::Notice::Level::warning) cli.warn(n.text);
        else cli.verbose(n.text);
    }
    const mtkfw::PartitionRow& row =
        cli.has("index") ? mtkfw::partition_numbered(table, *cli.size("index"), in.name())
                         : mtkfw::partition_named(table, args.at(1), in.name());
    return {row.start, row.size, "partition " + row.name};
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
        mtkfw::check_range(in, range.offset, range.size, range.what);

        mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in}, {.binary = true, .explicit_stdout = cli.explicit_stdout()});
        mtkfw::ProgressBar progress(cli.progress(range.size >= kLongCopy), "part-cut: " + range.what);
        const mtkfw::CopyReport report = mtkfw::copy_range(in, range.offset, range.size, out, range.what, progress.callback());
        out.commit();
        progress.finish();
        cli.verbose(range.what + ": " + std::to_string(report.bytes) + " bytes from offset " +
                    std::to_string(range.offset) + " to " + out.name() + " by " + report.method + ", " +
                    std::to_string(report.hole_bytes) + " bytes left as holes");
        return 0;
    });
}
