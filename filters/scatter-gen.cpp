// scatter-gen: an SP Flash Tool scatter file (V1.1.2) from the phone's real partition table.
#include <cctype>
#include <sstream>

#include "base/bytes.h"
#include "format/gfh.h"
#include "cli/cli.h"
#include "io/input.h"
#include "base/number.h"
#include "io/output.h"
#include "ops/scatter.h"
#include "ops/scatter_layout.h"
#include "format/scatter_policy.h"
#include "io/slurp.h"
#include "format/table.h"

namespace {

const mtkfw::Tool kTool = {
    "scatter-gen",
    "[--platform MTxxxx] [--project NAME] [--preloader FILE] [--device-size BYTES] [--policy FILE]\n"
    "       [--download NAME,...] [--absolute-tail] [-o FILE] [TABLE]\n"
    "   or: scatter-gen --reformat | --list [-o FILE] [SCATTER]",
    "Write an SP Flash Tool scatter file from a partition table (gpt-list --tsv).",
    "gpt-list --tsv User | scatter-gen --platform MT6752 --preloader preloader.bin -o MT6752_Android_scatter.txt",
};

struct PreloaderFacts {
    uint64_t max_size = 0;
    std::string file_name;  // empty when the image carries none
};

// GFH FILE_INFO max_size and the MTK_BLOADER_INFO file name (common/gfh.h), reading the image
// front to back up to its file_len.
PreloaderFacts preloader_facts(const std::string& path, const mtkfw::Cli& cli) {
    mtkfw::Input in = mtkfw::Input::open(path);
    std::vector<uint8_t> buf(mtkfw::kGfhFileInfoSize);
    buf.resize(in.read(buf.data(), buf.size()));
    if (!mtkfw::looks_like_gfh(buf)) {
        mtkfw::fail_input(in.name(), "not a preloader image (no GFH FILE_INFO at offset 0; bl-strip makes one from BOOT1)");
    }
    const mtkfw::GfhFileInfo info = mtkfw::parse_gfh_file_info(buf, in.name());
    mtkfw::GfhImageCheck check(info);
    check.update(buf);
    buf.resize(1 << 20);
    while (check.fed() < info.file_len) {
        const size_t n = in.read(buf.data(), buf.size());
        if (n == 0) mtkfw::fail_input(in.name(), "truncated: shorter than its GFH file_len " + std::to_string(info.file_len));
        check.update(mtkfw::Bytes(buf.data(), n));
    }
    const mtkfw::GfhTrailer trailer = check.finish();
    if (trailer.sha256 == mtkfw::HashCheck::mismatch) cli.warn(in.name() + ": SHA-256 mismatch: the image is damaged");
    return {info.max_size, trailer.file_name.value_or("")};
}

std::set<std::string> split_names(const std::string& list) {
    std::set<std::string> names;
    std::istringstream in(list);
    for (std::string name; std::getline(in, name, ',');) {
        if (!name.empty()) names.insert(name);
    }
    return names;
}

std::string generate(mtkfw::Cli& cli, const mtkfw::PartitionTable& table) {
    const auto& vm = cli.vm();
    mtkfw::LayoutOptions o;
    if (cli.has("platform")) {
        o.platform = vm["platform"].as<std::string>();
    } else if (!table.platform.empty()) {
        o.platform = table.platform;  // gpt-list read it from system's build.prop
        cli.verbose("platform " + o.platform + " from the table");
    } else {
        mtkfw::fail_usage("--platform", "required (e.g. --platform MT6752): the table does not say it");
    }
    if (o.platform.size() < 6 || !o.platform.starts_with("MT")) mtkfw::fail_usage("--platform", "expected MTxxxx, got '" + o.platform + "'");
    if (cli.has("project")) o.project = vm["project"].as<std::string>();
    if (cli.has("preloader")) {
        const PreloaderFacts f = preloader_facts(vm["preloader"].as<std::string>(), cli);
        if (f.max_size) o.preloader_size = f.max_size;
        o.preloader_file = f.file_name;
        if (o.project.empty() && f.file_name.starts_with("preloader_") && f.file_name.ends_with(".bin")) {
            o.project = f.file_name.substr(10, f.file_name.size() - 14);
        }
    }
    if (o.project.empty()) {
        for (char c : o.platform) o.project += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        cli.info("no --project and no project in a --preloader: project '" + o.project + "'");
    }
    if (o.preloader_file.empty()) o.preloader_file = "preloader_" + o.project + ".bin";
    if (cli.has("device-size")) o.device_size = *cli.size("device-size");
    else if (table.dump_size) o.device_size = *table.dump_size;
    else mtkfw::fail_usage("--device-size", "required: the table does not know the dump's length (it was read from a pipe)");
    o.absolute_tail = cli.has("absolute-tail");

    mtkfw::ScatterPolicy policy = mtkfw::ScatterPolicy::builtin();
    if (cli.has("policy")) {
        mtkfw::Input in = mtkfw::Input::open(vm["policy"].as<std::string>());
        policy.load(mtkfw::slurp(in, 1 << 20), in.name());
    }
    if (cli.has("download")) {
        const std::set<std::string> names = split_names(vm["download"].as<std::string>());
        for (const std::string& name : names) {
            if (!table.find(name)) mtkfw::fail_usage("--download", "no partition named '" + name + "' in the table");
            if (policy.plan(name, "").reserved()) mtkfw::fail_usage("--download", name + " is reserved: never downloaded");
        }
        policy.opt_in(names);
        cli.warn("--download " + vm["download"].as<std::string>() + ": these images carry this phone's own data " +
                 "(IMEI, calibration); flash them to this phone only. 'Format All + Download' erases every " +
                 "partition and then writes them back; without them it would lose that data for good");
    }
    mtkfw::Notices notices;
    const mtkfw::Scatter s = mtkfw::layout_scatter(table, policy, o, &notices);
    cli.show(notices);
    return mtkfw::write_scatter(s);
}

}  // namespace

int main(int argc, char** argv) {
    return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
        cli.options().add_options()
            ("platform", mtkfw::po::value<std::string>(), "the chip, e.g. MT6752 (default: the table's, from build.prop)")
            ("project", mtkfw::po::value<std::string>(), "the build's project name (default: from --preloader, else the platform)")
            ("preloader", mtkfw::po::value<std::string>(), "the preloader image (bl-strip): its size and file name")
            ("device-size", mtkfw::po::value<std::string>(), "bytes of the user area (default: the dump's length)")
            ("policy", mtkfw::po::value<std::string>(), "rules overriding the built-in ones (see the man page)")
            ("download", mtkfw::po::value<std::string>(), "also download these partitions (nvram,proinfo,...)")
            ("absolute-tail", "write the reserved tail's absolute addresses when end-relative ones would be lossy")
            ("reformat", "read a scatter file (any version) and write it again as V1.x")
            ("list", "read a scatter file and list its rows as tab-separated text");
        cli.positional("TABLE", 1);
        if (!cli.parse()) return 0;
        const bool reading_scatter = cli.has("reformat") || cli.has("list");
        if (cli.has("reformat") && cli.has("list")) mtkfw::fail_usage("", "--reformat and --list exclude each other");
        for (const char* o : {"platform", "project", "preloader", "device-size", "policy", "download", "absolute-tail"}) {
            if (reading_scatter && cli.has(o)) mtkfw::fail_usage(std::string("--") + o, "makes no sense with --reformat or --list");
        }

        mtkfw::Input in = mtkfw::Input::open(cli.input());
        const std::string text = mtkfw::slurp(in, 16 << 20);
        std::string result;
        if (reading_scatter) {
            const mtkfw::Scatter s = mtkfw::parse_scatter(text, in.name());
            result = cli.has("list") ? mtkfw::list_scatter(s) : mtkfw::write_scatter(s);
        } else {
            result = generate(cli, mtkfw::parse_tsv(text, in.name()));
        }
        mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in}, {.binary = false});
        out.write(result);
        out.commit();
        return 0;
    });
}
