// gpt-list: read and verify the GPT of a USER dump and list its partitions.
#include <iostream>

#include "cli/cli.h"
#include "cli/gpt_options.h"
#include "ops/ab_slot.h"
#include "ops/content.h"
#include "ops/gpt_reader.h"
#include "io/input.h"
#include "io/output.h"
#include "ops/platform.h"
#include "format/table.h"

namespace {

const mtkfw::Tool kTool = {
    "gpt-list",
    "[--tsv | --json] [--sector-size 512|4096] [DUMP]",
    "Read and verify the GPT of a USER readback and list its partitions.",
    "gpt-list --tsv sample/User | scatter-gen --platform MT6752 > MT6752_Android_scatter.txt",
};

}  // namespace

int main(int argc, char** argv) {
    return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
        cli.options().add_options()
            ("tsv", "write the tab-separated table other mtkfw tools read")
            ("json", "write JSON (sfdisk --json fields plus byte offsets and content)")
            ("sector-size", mtkfw::po::value<std::string>(), "512 or 4096 (default: detected)");
        cli.positional("DUMP", 1);
        if (!cli.parse()) return 0;
        if (cli.has("tsv") && cli.has("json")) mtkfw::fail_usage("", "--tsv and --json exclude each other");

        mtkfw::GptReadOptions options;
        options.sector_size = mtkfw::sector_size_option(cli);
        options.allow_truncated = true;  // a PGPT-only readback is listed, with a warning
        mtkfw::Input in = mtkfw::Input::open(cli.input());
        mtkfw::Notices notices;
        mtkfw::PartitionTable table = mtkfw::read_gpt(in, options, notices);
        mtkfw::detect_contents(in, &table);
        // The active slot is a fact for people and readback2fw; its absence is never an error.
        const mtkfw::SlotReading slot = mtkfw::read_active_slot(in, table);
        table.slot = slot.slot;
        table.slot_source = slot.source;
        if (!slot.note.empty()) cli.verbose(slot.note);
        // After the slot: an A/B phone's vendor_a or vendor_b is read by it.
        if (const auto platform = mtkfw::detect_platform(in, table, notices)) {
            table.platform = platform->name;
            cli.verbose("platform " + platform->name + " from " + platform->source);
        }
        cli.show(notices);

        const std::string device = cli.input();
        // JSON is a file people keep and pass on: the dump's base name, not where it sits on this machine.
        const std::string base_name = device.substr(device.find_last_of('/') + 1);
        std::string text = cli.has("tsv")    ? mtkfw::write_tsv(table)
                           : cli.has("json") ? mtkfw::write_json(table, base_name)
                                             : mtkfw::write_human(table, device);
        mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in}, {.binary = false});
        out.write(text);
        out.commit();
        return 0;
    });
}
