// gpt-list: read and verify the GPT of a USER dump and list its partitions.
#include <iostream>

#include "cli/cli.h"
#include "cli/gpt_options.h"
#include "ops/ab_slot.h"
#include "ops/content.h"
#include "ops/gpt_reader.h"
#include "ops/lp_listing.h"
#include "ops/legacy_template.h"
#include "ops/mbr_reader.h"
#include "ops/scatter.h"
#include "io/input.h"
#include "io/output.h"
#include "ops/platform.h"
#include "ops/userdata_key.h"
#include "format/table.h"

namespace {

const mtkfw::Tool kTool = {
    "gpt-list",
    "[--lp] [--tsv | --json] [--sector-size 512|4096] [--template SCATTER] [DUMP | SUPER_IMAGE]",
    "Read and verify the GPT of a USER readback and list its partitions, or with --lp the logical "
    "partitions inside its super (or of a super image).",
    "gpt-list --tsv sample/User | scatter-gen --platform MT6752 > MT6752_Android_scatter.txt",
};

int write_lp(const mtkfw::Cli& cli, const mtkfw::Input& in, const std::vector<mtkfw::lp::SuperView>& supers,
             const std::string& device, const std::string& base_name) {
    const std::string text = cli.has("tsv")    ? mtkfw::lp::write_lp_tsv(supers)
                             : cli.has("json") ? mtkfw::lp::write_lp_json(supers, base_name)
                                               : mtkfw::lp::write_lp_human(supers, device);
    mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in}, {.binary = false});
    out.write(text);
    out.commit();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
        cli.options().add_options()
            ("tsv", "write the tab-separated table other mtkfw tools read")
            ("json", "write JSON (sfdisk --json fields plus byte offsets and content)")
            ("template", mtkfw::po::value<std::string>(),
             "a legacy MBR/EBR dump: name its partitions from this stock V1.1.1 scatter of the same model, "
             "checked against the dump")
            ("lp", "list the logical partitions of every super (LP metadata) instead of the GPT")
            ("sector-size", mtkfw::po::value<std::string>(), "512 or 4096 (default: detected)");
        cli.positional("DUMP", 1);
        if (!cli.parse()) return 0;
        if (cli.has("tsv") && cli.has("json")) mtkfw::fail_usage("", "--tsv and --json exclude each other");

        mtkfw::GptReadOptions options;
        options.sector_size = mtkfw::sector_size_option(cli);
        options.allow_truncated = true;  // a PGPT-only readback is listed, with a warning
        mtkfw::Input in = mtkfw::Input::open(cli.input());
        const std::string device = cli.input();
        // JSON is a file people keep and pass on: the dump's base name, not where it sits on this machine.
        const std::string base_name = device.substr(device.find_last_of('/') + 1);
        mtkfw::Notices notices;
        mtkfw::lp::refuse_sparse(in);
        if (mtkfw::lp::is_bare_super(in)) {
            if (!cli.has("lp")) {
                mtkfw::fail_input(in.name(), "a super image (LP metadata), not a dump with a GPT: "
                                             "list its logical partitions with --lp");
            }
            const std::vector<mtkfw::lp::SuperView> supers = {
                mtkfw::lp::view_super(in, 0, in.size(), base_name, notices)};
            cli.show(notices);
            return write_lp(cli, in, supers, device, base_name);
        }
        if (cli.has("lp") && !in.seekable()) {
            mtkfw::fail_usage(in.name(), "--lp reads super's metadata where the GPT puts it: give a file or a "
                                         "device, not a pipe");
        }
        // A legacy MT65xx dump has an MBR/EBR chain instead of a GPT (MODERN.md 5).
        const std::optional<uint64_t> mbr_at = mtkfw::find_mbr(in);
        mtkfw::PartitionTable table =
            mbr_at ? mtkfw::read_mbr(in, *mbr_at, notices) : mtkfw::read_gpt(in, options, notices);
        if (const std::optional<std::string> path_option = cli.text("template")) {
            const std::string& path = *path_option;
            if (!mbr_at) mtkfw::fail_usage("--template", "the dump has a GPT: templates name the partitions of an MBR/EBR dump");
            mtkfw::apply_legacy_template(in, mtkfw::read_scatter(path), path, &table, notices);
        }
        mtkfw::detect_contents(in, &table);
        if (cli.has("lp")) {
            const std::vector<mtkfw::lp::SuperView> supers = mtkfw::lp::supers_of(in, table, notices);
            cli.show(notices);
            return write_lp(cli, in, supers, device, base_name);
        }
        // What read_super notices (a backup copy used) and why a super is unreadable: warnings
        // here, the GPT being what gpt-list lists.
        for (const mtkfw::PartitionRow& r : table.rows) {
            if (r.content != "lp") continue;
            try {
                mtkfw::lp::read_super(in, r.start, r.size, notices);
            } catch (const mtkfw::Failure& f) {
                if (f.code() != mtkfw::Exit::invalid_input) throw;
                notices.push_back({mtkfw::Notice::Level::warning, std::string(f.what())});
            }
        }
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
        // After the slot too: the fstab of the active slot's vendor names userdata's key partition.
        if (const auto key = mtkfw::find_userdata_key(in, table, notices)) {
            table.metadata = key->partition;
            table.metadata_source = key->source;
            table.userdata_encryption = key->encryption;
        }
        cli.show(notices);

        std::string text = cli.has("tsv")    ? mtkfw::write_tsv(table)
                           : cli.has("json") ? mtkfw::write_json(table, base_name)
                                             : mtkfw::write_human(table, device);
        mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in}, {.binary = false});
        out.write(text);
        out.commit();
        return 0;
    });
}
