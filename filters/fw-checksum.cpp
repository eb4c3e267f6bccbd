// fw-checksum: Checksum.ini for SP Flash Tool from a scatter file, md5sum/xxhsum manifests,
// and checking either.  Every file is read once, whatever digests are asked for.
#include <filesystem>
#include <iostream>

#include "format/checksum_ini.h"
#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "ops/digest.h"
#include "ops/image_checks.h"
#include "format/manifest.h"
#include "base/number.h"
#include "io/output.h"
#include "ops/scatter.h"
#include "io/slurp.h"

namespace {

using namespace mtkfw;

const Tool kTool = {
    "fw-checksum",
    "[--md5] [-o FILE] SCATTER | -c CHECKSUM.INI [SCATTER] | --format md5sum|xxh128 [-c LIST | FILE...]",
    "Write (or check) SP Flash Tool's Checksum.ini for the images of a scatter file, or md5sum/xxhsum lists.",
    "scatter-gen --platform MT6752 < table.tsv > fw/MT6752_Android_scatter.txt && "
    "fw-checksum --md5 -o fw/Checksum.ini fw/MT6752_Android_scatter.txt",
};

struct Run {
    Cli& cli;
    bool skip_missing;
    unsigned threads;

    // `strict`: a file that cannot be read is the error; else it gets a warning (and its check fails).
    std::vector<FileDigest> hash(const std::vector<std::string>& paths, DigestKinds kinds, bool strict) const {
        ProgressBar progress(cli.progress(true), kTool.name);
        auto digests = digest_files(paths, kinds, {threads, progress.callback()});
        progress.finish();
        for (const FileDigest& d : digests) {
            if (d.failure && strict) throw *d.failure;
            if (d.failure) cli.warn(d.failure->what());
        }
        return digests;
    }
    // Fails on the paths that do not exist, naming every one by `labels` (or warns about them
    // with --skip-missing); returns their indexes.
    std::vector<size_t> missing(const std::vector<std::string>& paths, const std::vector<std::string>& labels,
                                const std::string& source) const {
        const std::vector<size_t> gone = missing_paths(paths);
        std::string list;
        for (size_t i : gone) list += (list.empty() ? "" : ", ") + labels[i];
        if (!gone.empty() && !skip_missing) {
            fail_input(source, std::to_string(gone.size()) + " file(s) missing: " + list + " (--skip-missing leaves them out)");
        }
        for (size_t i : gone) cli.warn(labels[i] + ": missing, left out (--skip-missing)");
        return gone;
    }
    // Prints every verdict; exit 1 when any failed.
    int report(const std::vector<CheckResult>& results, const std::string& source) const {
        size_t failed = 0;
        for (const CheckResult& r : results) {
            std::cout << check_line(r);
            failed += !r.ok();
        }
        if (failed) fail_input(source, std::to_string(failed) + " of " + std::to_string(results.size()) + " checks FAILED");
        return 0;
    }
    // `text` to `path` ("-": stdout), atomically; never over one of `inputs`.
    void write(const std::string& path, const std::string& text, const std::vector<std::string>& inputs) const {
        std::error_code ec;
        for (const auto& in : inputs) {
            if (path != "-" && std::filesystem::equivalent(path, in, ec)) fail_usage(path, "is an input: refusing to overwrite it");
        }
        Output out = Output::open(path, {}, {.binary = false});
        out.write(text);
        out.commit();
    }
    std::string option(const char* name) const { return cli.has(name) ? cli.vm()[name].as<std::string>() : ""; }
};

int write_ini(const Run& run, const std::string& scatter_path) {
    const Scatter scatter = read_scatter(scatter_path);
    ScatterImages images = scatter_images(scatter, scatter_path, run.option("storage"));
    if (images.rows.empty()) fail_input(scatter_path, "no downloaded partition with a file (is_download: true)");
    drop_files(&images, run.missing(images.paths, image_labels(images), scatter_path));
    if (images.rows.empty()) fail_input(scatter_path, "none of the downloaded images is there");

    const bool md5 = run.cli.has("md5");
    const std::string md5_list = run.option("md5-list"), xxh_list = run.option("xxh128-list");
    const auto digests = run.hash(images.paths, {true, md5 || !md5_list.empty(), !xxh_list.empty()}, true);
    std::vector<std::string> inputs = images.paths;
    inputs.push_back(scatter_path);
    for (const auto& [list, format] : {std::pair{md5_list, ManifestFormat::md5sum}, {xxh_list, ManifestFormat::xxh128}}) {
        if (!list.empty()) run.write(list, write_manifest(format, manifest_for(digests, format, images.file_names)), inputs);
    }
    ChecksumIni ini = checksum_ini_for(images, digests, md5);
    ini.tool = std::string("fw-checksum (mtkfw) ") + MTKFW_VERSION;
    ini.change_id = change_id_now();
    run.write(run.cli.output(), write_checksum_ini(ini), inputs);
    return 0;
}

int check_ini_file(const Run& run, const std::string& ini_path, const std::string& scatter_arg) {
    Input in = Input::open(ini_path);
    const ChecksumIni ini = parse_checksum_ini(slurp(in, 1 << 20), in.name());
    const std::string scatter_path = scatter_arg.empty() ? scatter_beside(ini_path) : scatter_arg;
    ScatterImages images = scatter_images(read_scatter(scatter_path), scatter_path, run.option("storage"));
    if (images.rows.empty()) fail_input(scatter_path, "no downloaded partition with a file (is_download: true)");
    for (const ChecksumV1* e : unused_ini_lines(ini, images)) {
        run.cli.warn(in.name() + ": line " + std::to_string(e->line) + ": '" + e->name + "' is no downloaded partition");
    }
    if (run.skip_missing) drop_files(&images, run.missing(images.paths, image_labels(images), scatter_path));
    const auto digests = run.hash(images.paths, {true, !ini.v2.empty(), false}, false);
    return run.report(check_ini(ini, images, digests), in.name());
}

int list_files(const Run& run, ManifestFormat format, std::vector<std::string> files) {
    if (files.empty()) files.push_back("-");
    for (size_t i : run.missing(files, files, "")) files[i].clear();
    std::erase(files, "");
    const bool md5 = format == ManifestFormat::md5sum;
    const auto digests = run.hash(files, {false, md5, !md5}, true);
    run.write(run.cli.output(), write_manifest(format, manifest_for(digests, format)), files);
    return 0;
}

int check_list(const Run& run, ManifestFormat format, const std::string& list_path) {
    Input in = Input::open(list_path);
    std::vector<ManifestEntry> entries = parse_manifest(format, slurp(in, 64 << 20), in.name());
    auto names = [&entries] {
        std::vector<std::string> n;
        for (const auto& e : entries) n.push_back(e.name);
        return n;
    };
    if (run.skip_missing) {
        const std::vector<size_t> gone = run.missing(names(), names(), in.name());
        for (auto i = gone.rbegin(); i != gone.rend(); ++i) entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(*i));
    }
    const bool md5 = format == ManifestFormat::md5sum;
    const auto digests = run.hash(names(), {false, md5, !md5}, false);
    return run.report(check_manifest(format, entries, digests), in.name());
}

}  // namespace

int main(int argc, char** argv) {
    return run_tool(kTool, argc, argv, [](Cli& cli) {
        cli.options().add_options()
            ("md5", "also write [CheckSum_V2] (MD5 of every image) and VERSION=V2")
            ("check,c", po::value<std::string>(), "check CHECKSUM.INI (or, with --format, LIST) against the files")
            ("format", po::value<std::string>(), "md5sum or xxh128: list FILEs (or check -c LIST) in that tool's format")
            ("md5-list", po::value<std::string>(), "SCATTER mode: also write an md5sum list of the images to FILE")
            ("xxh128-list", po::value<std::string>(), "SCATTER mode: also write an xxhsum -H2 list of the images to FILE")
            ("skip-missing", "leave out missing files with a warning instead of failing")
            ("storage", po::value<std::string>(), "scatter with several storage sections: use TYPE (EMMC, UFS; default the first)")
            ("threads,j", po::value<std::string>(), "hash N files at a time (default: every core)");
        cli.positional("SCATTER|FILE", -1);
        if (!cli.parse()) return 0;
        const Run run{cli, cli.has("skip-missing"),
                      cli.has("threads") ? static_cast<unsigned>(parse_size(cli.vm()["threads"].as<std::string>(), "--threads")) : 0u};
        const auto& args = cli.inputs();
        const std::string check = run.option("check");
        if (cli.has("format")) {
            const ManifestFormat format = parse_manifest_format(run.option("format"), "--format");
            if (cli.has("md5") || cli.has("md5-list") || cli.has("xxh128-list") || cli.has("storage")) {
                fail_usage("--format", "lists files: --md5, --md5-list, --xxh128-list and --storage are for SCATTER mode");
            }
            if (check.empty()) return list_files(run, format, args);
            if (!args.empty() || cli.has("output")) fail_usage("--check", "-c LIST takes no FILE and writes nothing");
            return check_list(run, format, check);
        }
        if (args.size() > 1) fail_usage("", "one SCATTER file at most (try 'fw-checksum --help')");
        if (!check.empty()) {
            if (cli.has("md5") || cli.has("md5-list") || cli.has("xxh128-list") || cli.has("output")) {
                fail_usage("--check", "checks: it writes nothing (--md5, --md5-list, --xxh128-list, -o)");
            }
            return check_ini_file(run, check, args.empty() ? "" : args.front());
        }
        if (args.empty()) fail_usage("", "SCATTER missing (try 'fw-checksum --help')");
        return write_ini(run, args.front());
    });
}
