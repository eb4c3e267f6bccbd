// scatter-gen: an SP Flash Tool scatter file from the phone's real partition table, in the form
// MediaTek's tools write for the chip's generation (format/scatter_generation.h).
#include <array>
#include <span>
#include <sstream>
#include <string_view>

#include "cli/cli.h"
#include "format/gfh.h"
#include "format/gpt.h"
#include "format/scatter.h"
#include "format/scatter_generation.h"
#include "format/scatter_policy.h"
#include "format/table.h"
#include "io/input.h"
#include "io/output.h"
#include "io/slurp.h"
#include "ops/legacy_template.h"
#include "ops/preloader.h"
#include "ops/scatter.h"
#include "ops/scatter_layout.h"

namespace {

constexpr mtkfw::Hint kHints[] = {
    {mtkfw::Remedy::check_device_size, "check --device-size"},
    {mtkfw::Remedy::absolute_tail, "use --absolute-tail"},
    {mtkfw::Remedy::device_size_or_absolute_tail,
     "check --device-size, or write the absolute address with --absolute-tail"},
    {mtkfw::Remedy::name_platform, "give the chip with --platform (e.g. --platform MT6752)"},
    {mtkfw::Remedy::write_policy, "name them in a --policy file to change that"},
    {mtkfw::Remedy::skip_cut, "build the rest with --skip and that list (the rows stay, not downloaded), "
                              "or read back the whole user area"},
    {mtkfw::Remedy::give_template, "give --template STOCK_SCATTER: the V1.1.1 scatter of this model's stock firmware"},
    {mtkfw::Remedy::name_type, "give the table of the dump file, not of a pipe (gpt-list --tsv User > table.tsv), "
                               "or the TYPE in a --policy file (NAME UPDATE FILE EXT4_IMG)"},
};

const mtkfw::Tool kTool = {
    "scatter-gen",
    "[--platform MTxxxx] [--project NAME] [--preloader FILE | --preloader-size BYTES --preloader-file NAME]\n"
    "       [--device-size BYTES] [--policy FILE]\n"
    "       [--download NAME,...] [--skip NAME,...] [--absolute-tail] [--scatter-version V] [--format txt|xml]\n"
    "       [--storage emmc|ufs] [--file-names partition|stock] [--own-file NAME,...] [-o FILE] [TABLE]\n"
    "   or: scatter-gen --template STOCK_V1.1.1_SCATTER [--skip NAME,...] [-o FILE] [TABLE of an MBR/EBR dump]\n"
    "   or: scatter-gen --describe --platform MTxxxx [--scatter-version V] [--format txt|xml] [--storage emmc|ufs]\n"
    "   or: scatter-gen --reformat [--format txt|xml] | --list [-o FILE] [SCATTER]",
    "Write an SP Flash Tool scatter file from a partition table (gpt-list --tsv).",
    "gpt-list --tsv sample/User | scatter-gen --platform MT6752 --preloader firmware/preloader_sample6752.bin "
    "-o MT6752_Android_scatter.txt",
    kHints,
};

// The options of a generated scatter, in two groups: those that choose the generation (what
// --describe takes) and those that shape its rows.  The other modes refuse them by group.
constexpr const char* kGenerationOptions[] = {"platform", "scatter-version", "storage", "format"};
constexpr const char* kRowOptions[] = {"project", "preloader", "preloader-size", "preloader-file", "device-size", "policy",
                                       "download", "skip", "absolute-tail", "file-names", "own-file"};

// Fails with a usage error naming the first of `options` given (but `allowed`): `why` it cannot be.
void refuse(const mtkfw::Cli& cli, std::span<const char* const> options, const std::string& why,
            std::string_view allowed = "") {
    for (const char* o : options) {
        if (o != allowed && cli.has(o)) mtkfw::fail_usage(std::string("--") + o, why);
    }
}

std::set<std::string> split_names(const std::string& list) {
    std::set<std::string> names;
    std::istringstream in(list);
    for (std::string name; std::getline(in, name, ',');) {
        if (!name.empty()) names.insert(name);
    }
    return names;
}

// The generation a platform gets: the table's, or --scatter-version's; --format and --storage.
struct Form {
    const mtkfw::ScatterGeneration* generation = nullptr;
    std::string source;  // "table", "nearest MTxxxx", "given"
    mtkfw::ScatterFormat format = mtkfw::ScatterFormat::txt;
    std::string storage = "EMMC";
};

mtkfw::ScatterFormat format_of(const mtkfw::Cli& cli) {
    const auto f = cli.text("format");
    if (!f || *f == "txt") return mtkfw::ScatterFormat::txt;
    if (*f == "xml") return mtkfw::ScatterFormat::xml;
    mtkfw::fail_usage("--format", "expected txt or xml, got '" + *f + "'");
}

// --storage, checked against the table's sector size when there is a table.
std::string storage_of(const mtkfw::Cli& cli, const mtkfw::PartitionTable* table) {
    const std::string from_table = table && mtkfw::storage_of(*table) == "ufs" ? "UFS" : "EMMC";
    const auto given = cli.text("storage");
    if (!given) return from_table;
    if (*given != "emmc" && *given != "ufs") mtkfw::fail_usage("--storage", "expected emmc or ufs, got '" + *given + "'");
    const std::string storage = *given == "ufs" ? "UFS" : "EMMC";
    if (table && storage != from_table) {
        mtkfw::fail_usage("--storage " + *given, "the table has " + std::to_string(table->sector_size) +
                                                     "-byte sectors, which is " + from_table + " (" +
                                                     (from_table == "UFS" ? "UFS LU2" : "eMMC USER") + ")");
    }
    return storage;
}

Form form_of(const mtkfw::Cli& cli, const std::string& platform, const mtkfw::PartitionTable* table) {
    Form form;
    const mtkfw::GenerationChoice choice = mtkfw::generation_for(platform);
    form.generation = choice.generation;
    form.source = choice.source;
    if (const auto version = cli.text("scatter-version")) {
        form.generation = mtkfw::generation_named(*version, *choice.generation);
        if (!form.generation) mtkfw::fail_usage("--scatter-version", "unknown version '" + *version + "': " + mtkfw::generation_names());
        form.source = "given";
    }
    form.format = format_of(cli);
    form.storage = storage_of(cli, table);
    const mtkfw::ScatterGeneration& g = *form.generation;
    const std::string said = platform + ": " + std::string(g.config_version) + ", " + std::to_string(g.keys) +
                             " keys per row";
    if (choice.nearest() && form.source != "given") {
        cli.warn(platform + " is not in the generation table: written as " + std::string(g.config_version) + " with " +
                 std::to_string(g.keys) + " keys per row, the generation of " + form.source.substr(8) +
                 " (the nearest chip it lists); --scatter-version says another");
    } else {
        cli.verbose(said + (form.source == "given" ? " (--scatter-version)" : " (generation table)"));
    }
    return form;
}

// What the preloader row says: --preloader's image read (its GFH max_size and stock name), or
// --preloader-size and --preloader-file as given (what bl-strip --info says of the image: the
// pipeline proves the file equal to BOOT1's, so it need not be read again); nullopt: neither.
std::optional<mtkfw::PreloaderImage> preloader_of(const mtkfw::Cli& cli) {
    if (const auto path = cli.text("preloader")) {
        refuse(cli, std::array{"preloader-size", "preloader-file"}, "makes no sense with --preloader: its image says it");
        mtkfw::Input in = mtkfw::Input::open(*path);
        mtkfw::Notices notices;
        mtkfw::PreloaderImage image = mtkfw::read_preloader_image(in, notices);
        cli.show(notices);
        return image;
    }
    if (!cli.has("preloader-size") && !cli.has("preloader-file")) return std::nullopt;
    mtkfw::PreloaderImage image;
    if (const auto size = cli.size("preloader-size")) {
        if (*size == 0) mtkfw::fail_usage("--preloader-size", "expected the GFH max_size in bytes (bl-strip --info), got 0");
        image.max_size = *size;
    }
    if (const auto name = cli.text("preloader-file")) {
        if (!mtkfw::safe_file_name(*name)) {
            mtkfw::fail_usage("--preloader-file", "expected a plain file name such as preloader_k01q_e.bin (bl-strip --name), got '" + *name + "'");
        }
        image.file_name = *name;
    }
    return image;
}

// The platform and project the scatter says, and the preloader row's size and file name.
void name_the_firmware(const mtkfw::Cli& cli, const mtkfw::PartitionTable& table, mtkfw::LayoutOptions& layout) {
    const std::optional<mtkfw::PreloaderImage> preloader = preloader_of(cli);
    const mtkfw::ScatterNames names = mtkfw::scatter_names(cli.text("platform"), cli.text("project"), table, preloader);
    layout.platform = names.platform;
    layout.project = names.project;
    if (names.platform_from == mtkfw::NameSource::table) cli.verbose("platform " + layout.platform + " from the table");
    if (preloader) {
        if (preloader->max_size) layout.preloader_size = preloader->max_size;
        layout.preloader_file = preloader->file_name;
    }
    if (names.project_from == mtkfw::NameSource::platform) {
        cli.info("no --project and no project in a --preloader: project '" + layout.project + "'");
    }
    if (layout.preloader_file.empty()) layout.preloader_file = "preloader_" + layout.project + ".bin";
}

uint64_t device_size(const mtkfw::Cli& cli, const mtkfw::PartitionTable& table) {
    if (const auto size = cli.size("device-size")) return *size;
    // A readback cut inside its partitions is shorter than the phone: the user area its GPT describes.
    if (table.dump_size && *table.dump_size < table.disk_size) {
        for (const mtkfw::PartitionRow& r : table.rows) {
            if (r.end() > *table.dump_size) return mtkfw::readback_length(table);
        }
    }
    if (table.dump_size) return *table.dump_size;
    mtkfw::fail_usage("--device-size", "required: the table does not know the dump's length (it was read from a pipe)");
}

// --file-names and --own-file (stock names only: the rows whose bytes differ from their pair's).
void name_files(const mtkfw::Cli& cli, const mtkfw::PartitionTable& table, mtkfw::ScatterPolicy& policy) {
    const std::string names = cli.text("file-names").value_or("partition");
    if (names != "partition" && names != "stock") {
        mtkfw::fail_usage("--file-names", "expected partition or stock, got '" + names + "'");
    }
    std::set<std::string> own;
    if (const auto list = cli.text("own-file")) {
        if (names != "stock") {
            mtkfw::fail_usage("--own-file", "only with --file-names stock (with partition names every row has its own file)");
        }
        own = split_names(*list);
    }
    policy.name_files(names == "stock" ? mtkfw::FileNames::stock : mtkfw::FileNames::partition, own);
    for (const std::string& name : own) {
        const mtkfw::PartitionRow* row = table.find(name);
        if (!row) mtkfw::fail_usage("--own-file", "no partition named '" + name + "' in the table");
        if (!policy.plan(name, row->content).is_download) {
            mtkfw::fail_usage("--own-file", name + " is not downloaded: it has no file");
        }
    }
}

// The built-in rules, a --policy file's, and --download's opt-ins (checked against the table).
mtkfw::ScatterPolicy policy_of(const mtkfw::Cli& cli, const mtkfw::PartitionTable& table,
                               const mtkfw::ScatterGeneration& generation) {
    mtkfw::ScatterPolicy policy = mtkfw::ScatterPolicy::for_generation(generation);
    if (const auto path = cli.text("policy")) {
        mtkfw::Input in = mtkfw::Input::open(*path);
        policy.load(mtkfw::slurp(in, 1 << 20), in.name());
    }
    if (const auto list = cli.text("download")) {
        const std::set<std::string> names = split_names(*list);
        for (const std::string& name : names) {
            if (!table.find(name)) mtkfw::fail_usage("--download", "no partition named '" + name + "' in the table");
            if (policy.plan(name, "").reserved()) mtkfw::fail_usage("--download", name + " is reserved: never downloaded");
        }
        policy.opt_in(names);
        cli.warn("--download " + *list + ": these images carry this phone's own data " +
                 "(IMEI, calibration); flash them to this phone only. 'Format All + Download' erases every " +
                 "partition and then writes them back; without them it would lose that data for good");
    }
    if (const auto list = cli.text("skip")) {
        const std::set<std::string> names = split_names(*list);
        for (const std::string& name : names) {
            if (!table.find(name)) mtkfw::fail_usage("--skip", "no partition named '" + name + "' in the table");
            if (cli.text("download") && split_names(*cli.text("download")).count(name)) {
                mtkfw::fail_usage("--skip", name + " is also in --download");
            }
        }
        policy.opt_out(names);
    }
    name_files(cli, table, policy);
    return policy;
}

std::string generate(const mtkfw::Cli& cli, const mtkfw::PartitionTable& table) {
    if (table.label == "mbr") {
        mtkfw::fail_input(cli.input(), "an MBR/EBR table (a legacy MT65xx phone): it names no partition and lists none of "
                                       "the raw ones (UBOOT, BOOTIMG, LOGO...)", mtkfw::Remedy::give_template);
    }
    mtkfw::LayoutOptions layout;
    name_the_firmware(cli, table, layout);
    const Form form = form_of(cli, layout.platform, &table);
    layout.generation = form.generation;
    layout.format = form.format;
    layout.storage = form.storage;
    layout.device_size = device_size(cli, table);
    layout.absolute_tail = cli.has("absolute-tail");
    const mtkfw::ScatterPolicy policy = policy_of(cli, table, *form.generation);
    mtkfw::Notices notices;
    const mtkfw::Scatter scatter = mtkfw::layout_scatter(table, policy, layout, notices);
    cli.show(notices);
    return mtkfw::write_scatter(scatter);
}

}  // namespace

int main(int argc, char** argv) {
    return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
        cli.options().add_options()
            ("platform", mtkfw::po::value<std::string>(), "the chip, e.g. MT6752 (default: the table's, from build.prop)")
            ("project", mtkfw::po::value<std::string>(), "the build's project name (default: from --preloader, else the platform)")
            ("preloader", mtkfw::po::value<std::string>(), "the preloader image (bl-strip): its size and file name")
            ("preloader-size", mtkfw::po::value<std::string>(), "instead of --preloader: the preloader row's size (bl-strip --info's max_size)")
            ("preloader-file", mtkfw::po::value<std::string>(), "instead of --preloader: the preloader's file name (bl-strip --name)")
            ("device-size", mtkfw::po::value<std::string>(), "bytes of the user area (default: the dump's length)")
            ("policy", mtkfw::po::value<std::string>(), "rules over the stock ones, one a line: NAME OPERATION [FILE [TYPE "
             "[UPGRADABLE [EMPTY_BOOT [COMBO [DOWNLOAD]]]]]] (see the man page)")
            ("download", mtkfw::po::value<std::string>(), "also download these partitions (nvram,proinfo,...)")
            ("skip", mtkfw::po::value<std::string>(), "never download these (a truncated readback's cut ones)")
            ("absolute-tail", "write the reserved tail's absolute addresses when end-relative ones would be lossy")
            ("scatter-version", mtkfw::po::value<std::string>(),
             ("the generation to write instead of the platform's: V1.1.2, V1.1.8, V2.1.0, or one of " +
              mtkfw::generations_summary()).c_str())
            ("format", mtkfw::po::value<std::string>(), "txt (default) or xml (SP Flash Tool v6); with --reformat, convert")
            ("storage", mtkfw::po::value<std::string>(), "emmc or ufs, as the dumps say (default: from the table's sector size)")
            ("file-names", mtkfw::po::value<std::string>(), "partition (default: each downloaded row its own image) or stock (the stock package's names)")
            ("own-file", mtkfw::po::value<std::string>(), "with --file-names stock: these rows get a file of their own (NAME.img)")
            ("template", mtkfw::po::value<std::string>(),
             "a legacy MBR/EBR table (gpt-list --tsv): write this stock V1.1.1 scatter of the same model's layout, "
             "after checking the table against it")
            ("describe", "print the generation --platform gets (key=value lines) and stop")
            ("reformat", "read a scatter file (any version) and write it again")
            ("list", "read a scatter file and list its rows as tab-separated text");
        cli.positional("TABLE", 1);
        if (!cli.parse()) return 0;
        const bool reading_scatter = cli.has("reformat") || cli.has("list");
        if (cli.has("reformat") && cli.has("list")) mtkfw::fail_usage("", "--reformat and --list exclude each other");
        if (reading_scatter) {
            const std::string why = "makes no sense with --reformat or --list";
            refuse(cli, kGenerationOptions, why, "format");
            refuse(cli, kRowOptions, why);
            refuse(cli, std::array{"describe", "template"}, why);
        }
        if (cli.has("list") && cli.has("format")) mtkfw::fail_usage("--format", "makes no sense with --list");
        if (cli.has("describe")) {
            refuse(cli, kRowOptions, "makes no sense with --describe");
            refuse(cli, std::array{"template"}, "makes no sense with --describe");
            if (!cli.inputs().empty()) mtkfw::fail_usage("--describe", "takes no TABLE: it says what --platform gets");
            const auto platform = cli.text("platform");
            if (!platform) mtkfw::fail_usage("--describe", "needs --platform");
            const Form form = form_of(cli, *platform, nullptr);
            mtkfw::Output out = mtkfw::Output::open_over_none_of(cli.output(), {}, {.binary = false}, {});
            out.write(mtkfw::describe_generation(*form.generation, *platform, form.storage, form.format, form.source));
            out.commit();
            return 0;
        }

        mtkfw::Input in = mtkfw::Input::open(cli.input());
        const std::string text = mtkfw::slurp(in, 16 << 20);
        std::string result;
        if (reading_scatter) {
            mtkfw::Scatter s = mtkfw::parse_scatter(text, in.name());
            if (cli.has("format")) s.style.format = format_of(cli);
            result = cli.has("list") ? mtkfw::list_scatter(s) : mtkfw::write_scatter(s);
        } else if (const auto template_path = cli.text("template")) {
            const std::string why = "makes no sense with --template: its layout is written";
            refuse(cli, kGenerationOptions, why);
            refuse(cli, kRowOptions, why, "skip");
            // The stock layout, once every table entry is where the template says (ops/legacy_template.h).
            const mtkfw::Scatter stock = mtkfw::read_scatter(*template_path);
            mtkfw::PartitionTable table = mtkfw::parse_tsv(text, in.name());
            mtkfw::Notices notices;
            const std::set<std::string> skip = cli.text("skip") ? split_names(*cli.text("skip")) : std::set<std::string>{};
            result = mtkfw::write_scatter(mtkfw::legacy_scatter(stock, *template_path, &table, skip, notices));
            cli.show(notices);
        } else {
            result = generate(cli, mtkfw::parse_tsv(text, in.name()));
        }
        // Never over the table, nor over the --preloader or --policy it was made with.
        std::vector<std::string> sources;
        for (const char* o : {"preloader", "policy", "template"}) {
            if (const auto path = cli.text(o)) sources.push_back(*path);
        }
        mtkfw::Output out = mtkfw::Output::open_over_none_of(cli.output(), sources, {.binary = false}, {&in});
        out.write(result);
        out.commit();
        return 0;
    });
}
