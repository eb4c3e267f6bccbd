// fw-checksum: Checksum.ini for SP Flash Tool from a scatter file, md5sum/xxhsum manifests,
// and checking either.  Every file is read once, whatever digests are asked for.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>

#include "base/number.h"
#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "format/checksum_ini.h"
#include "format/digest_record.h"
#include "format/manifest.h"
#include "io/input.h"
#include "io/output.h"
#include "io/slurp.h"
#include "ops/digest.h"
#include "ops/firmware_images.h"
#include "ops/recorded_digests.h"
#include "ops/scatter.h"

namespace {

using namespace mtkfw;

constexpr Hint kHints[] = {
    {Remedy::skip_missing, "--skip-missing leaves them out"},
};

const Tool kTool = {
    "fw-checksum",
    "[--md5] [--records DIR] [-o FILE] SCATTER | -c CHECKSUM.INI [SCATTER] | --format md5sum|xxh128 [-c LIST | FILE...] |\n"
    "       --record [--md5] [--copy] [-o RECORD] [FILE]",
    "Write (or check) SP Flash Tool's Checksum.ini for the images of a scatter file, or md5sum/xxhsum lists.",
    "fw-checksum --md5 -o firmware/Checksum.ini firmware/MT6752_Android_scatter.txt && "
    "fw-checksum -c firmware/Checksum.ini",
    kHints,
};

constexpr uint64_t kMaxThreads = 1024;

// --threads N: a plain count, 1 to kMaxThreads (no size suffix: "4K" threads is a typo).
unsigned thread_count(const Cli& cli) {
    const std::optional<std::string> text = cli.text("threads");
    if (!text) return 0;
    const Digits n = parse_digits(*text, 10);
    if (n.length == 0 || n.length != text->size() || n.overflow || n.value == 0 || n.value > kMaxThreads) {
        fail_usage("--threads", "expected a number of threads from 1 to " + std::to_string(kMaxThreads) + ", got '" +
                                    *text + "'");
    }
    return static_cast<unsigned>(n.value);
}

// What every mode shares: the command line, read once.
struct Job {
    const Cli& cli;
    std::vector<std::string> args;  // SCATTER or FILE...
    std::string check;              // -c's file
    ManifestFormat format = ManifestFormat::md5sum;
    MissingFiles missing = MissingFiles::fail;
    unsigned threads = 0;

    std::string option(const char* name) const { return cli.text(name).value_or(""); }

    std::vector<FileDigest> hash(const std::vector<std::string>& paths, DigestKinds kinds, Unreadable unreadable) const {
        ProgressBar progress(cli.progress(true), kTool.name);
        Notices notices;
        auto digests = digest_files(paths, kinds, {threads, progress.callback(), unreadable}, notices);
        progress.finish();
        cli.show(notices);
        return digests;
    }
    // The missing files' indexes, after the policy; each left out is said.
    std::vector<size_t> leave_out_missing(const std::vector<std::string>& paths, const std::vector<std::string>& labels,
                                          const std::string& source) const {
        const std::vector<size_t> gone = find_missing(paths, labels, source, missing);
        for (size_t i : gone) cli.warn(labels[i] + ": missing, left out (--skip-missing)");
        return gone;
    }
};

// Every verdict on standard output; exit 1 when any failed.
int report(const std::vector<CheckResult>& results, const std::string& source) {
    std::string lines;
    size_t failed = 0;
    for (const CheckResult& r : results) {
        lines += check_line(r);
        failed += !r.ok();
    }
    Output out = Output::open("-", {}, {.binary = false});
    out.write(lines);
    out.commit();
    if (failed) fail_input(source, std::to_string(failed) + " of " + std::to_string(results.size()) + " checks FAILED");
    return 0;
}

// `text` to `path` ("-": stdout), atomically; never over one of the files it was made from.
void write_over_none_of(const std::string& path, const std::string& text, const std::vector<std::string>& sources) {
    Output out = Output::open_over_none_of(path, sources, {.binary = false});
    out.write(text);
    out.commit();
}

ScatterImages downloaded_images(const Job& job, const std::string& scatter_path) {
    ScatterImages images = scatter_images(read_scatter(scatter_path), scatter_path, job.option("storage"));
    if (images.rows.empty()) fail_input(scatter_path, "no downloaded partition with a file (is_download: true)");
    return images;
}

// SCATTER: Checksum.ini (and --md5-list, --xxh128-list) for its downloaded images.
int write_ini(const Job& job) {
    const std::string& scatter_path = job.args.front();
    ScatterImages images = downloaded_images(job, scatter_path);
    drop_files(&images, job.leave_out_missing(images.paths, image_labels(images), scatter_path));
    if (images.rows.empty()) fail_input(scatter_path, "none of the downloaded images is there");

    const bool md5 = job.cli.has("md5");
    const std::string md5_list = job.option("md5-list"), xxh_list = job.option("xxh128-list"), records = job.option("records");
    if (!records.empty() && !xxh_list.empty()) fail_usage("--xxh128-list", "needs the images read: a digest record holds no XXH128");
    const auto digests = records.empty()
                             ? job.hash(images.paths, {true, md5 || !md5_list.empty(), !xxh_list.empty()}, Unreadable::fail)
                             : recorded_digests(images, records, md5 || !md5_list.empty());
    std::vector<std::string> sources = images.paths;
    sources.push_back(scatter_path);
    for (const auto& [list, format] : {std::pair{md5_list, ManifestFormat::md5sum}, {xxh_list, ManifestFormat::xxh128}}) {
        if (!list.empty()) write_over_none_of(list, write_manifest(format, manifest_for(digests, format, images.file_names)), sources);
    }
    ChecksumIni ini = checksum_ini_for(images, digests, md5);
    ini.tool = std::string("fw-checksum (mtkfw) ") + MTKFW_VERSION;
    ini.change_id = change_id_now();
    write_over_none_of(job.cli.output(), write_checksum_ini(ini), sources);
    return 0;
}

// --record [FILE]: the digests Checksum.ini needs of one file (or of standard input), for a later
// SCATTER --records DIR.
// With --copy the bytes also go to standard output as they are read (tee's job, in large
// writes), so that the check which reads them (cmp -, ext4-sparse --verify -) needs no second read.
int write_record(const Job& job) {
    const std::string file = job.args.empty() ? "-" : job.args.front();
    const bool md5 = job.cli.has("md5");
    Digests d;
    if (job.cli.has("copy")) {
        if (job.cli.output() == "-") fail_usage("--copy", "the bytes go to standard output: give the record a file (-o RECORD)");
        Input in = Input::open(file);
        Output record = Output::open_over_none_of(job.cli.output(), {file}, {.binary = false});
        Output bytes = Output::open("-", {&in});
        // A pipe of 1 MiB (fs.pipe-max-size's default) takes a whole read at once: the copy then
        // costs one switch to the check per buffer, not one per 64 KiB.  Not a pipe: no change.
        fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
        d = digest_input(in, {true, md5, false}, false, nullptr, [&](const uint8_t* p, size_t n) { bytes.write(p, n); });
        bytes.commit();
        record.write(write_digest_record(record_of(d, md5)));
        record.commit();
        return 0;
    }
    d = job.hash({file}, {true, md5, false}, Unreadable::fail).front().digests;
    write_over_none_of(job.cli.output(), write_digest_record(record_of(d, md5)), {file});
    return 0;
}

// -c CHECKSUM.INI [SCATTER]: each downloaded image against its line.
int check_ini_file(const Job& job) {
    Input in = Input::open(job.check);
    const ChecksumIni ini = parse_checksum_ini(slurp(in, 1 << 20), in.name());
    const std::string scatter_path = job.args.empty() ? scatter_beside(job.check) : job.args.front();
    ScatterImages images = downloaded_images(job, scatter_path);
    for (const ChecksumV1* e : unused_ini_lines(ini, images)) {
        job.cli.warn(in.name() + ": line " + std::to_string(e->line) + ": '" + e->name + "' is no downloaded partition");
    }
    if (job.missing == MissingFiles::leave_out) {
        drop_files(&images, job.leave_out_missing(images.paths, image_labels(images), scatter_path));
    }
    const auto digests = job.hash(images.paths, {true, !ini.v2.empty(), false}, Unreadable::warn);
    return report(check_ini(ini, images, digests), in.name());
}

// --format F [FILE...]: a list of the files in md5sum's or xxhsum's form.
int list_files(const Job& job) {
    std::vector<std::string> files = job.args;
    if (files.empty()) files.push_back("-");
    for (size_t i : job.leave_out_missing(files, files, "")) files[i].clear();
    std::erase(files, "");
    const bool md5 = job.format == ManifestFormat::md5sum;
    const auto digests = job.hash(files, {false, md5, !md5}, Unreadable::fail);
    write_over_none_of(job.cli.output(), write_manifest(job.format, manifest_for(digests, job.format)), files);
    return 0;
}

// --format F -c LIST: each file of the list against its digest.
int check_list(const Job& job) {
    Input in = Input::open(job.check);
    std::vector<ManifestEntry> entries = parse_manifest(job.format, slurp(in, 64 << 20), in.name());
    auto names = [&entries] {
        std::vector<std::string> n;
        for (const auto& e : entries) n.push_back(e.name);
        return n;
    };
    if (job.missing == MissingFiles::leave_out) {
        const std::vector<size_t> gone = job.leave_out_missing(names(), names(), in.name());
        for (auto i = gone.rbegin(); i != gone.rend(); ++i) entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(*i));
    }
    const bool md5 = job.format == ManifestFormat::md5sum;
    const auto digests = job.hash(names(), {false, md5, !md5}, Unreadable::warn);
    return report(check_manifest(job.format, entries, digests), in.name());
}

// What a mode refuses, in the order it is checked: any of `options`, or more than `max_files`
// positional arguments, is a usage error `what: why`.
struct Refusal {
    const char* options[5];
    size_t max_files;
    const char* what;
    const char* why;
};
constexpr size_t kAnyFiles = SIZE_MAX;

const Refusal kListOnly = {{"md5", "md5-list", "xxh128-list", "storage", "records"}, kAnyFiles, "--format",
                           "lists files: --md5, --md5-list, --xxh128-list, --storage and --records are for SCATTER mode"};
const Refusal kOneScatter = {{}, 1, "", "one SCATTER file at most (try 'fw-checksum --help')"};

// The five modes of fw-checksum(1), told apart by --record, --format and -c, like ninja's kTools[].
struct Mode {
    const char* name;  // as the man page's synopsis says it
    bool record;       // --record given (then neither of the others may be)
    bool format;       // --format given
    bool check;        // -c given
    Refusal refused[2];
    size_t min_files;  // fewer: "SCATTER missing"
    int (*run)(const Job&);
};
const Mode kModes[] = {
    {.name = "SCATTER", .record = false, .format = false, .check = false, .refused = {kOneScatter}, .min_files = 1, .run = write_ini},
    {.name = "-c CHECKSUM.INI [SCATTER]", .record = false, .format = false, .check = true,
     .refused = {kOneScatter,
                 {{"md5", "md5-list", "xxh128-list", "output", "records"}, kAnyFiles, "--check",
                  "checks: it reads the images and writes nothing (--md5, --md5-list, --xxh128-list, -o, --records)"}},
     .min_files = 0, .run = check_ini_file},
    {.name = "--format F [FILE...]", .record = false, .format = true, .check = false, .refused = {kListOnly}, .min_files = 0,
     .run = list_files},
    {.name = "--format F -c LIST", .record = false, .format = true, .check = true,
     .refused = {kListOnly, {{"output"}, 0, "--check", "-c LIST takes no FILE and writes nothing"}},
     .min_files = 0, .run = check_list},
    {.name = "--record [FILE]", .record = true, .format = false, .check = false,
     .refused = {{{"format", "check", "md5-list", "xxh128-list", "records"}, kAnyFiles, "--record",
                  "digests one FILE (or standard input) into a record: --format, -c, --md5-list, --xxh128-list and --records are not for it"},
                 {{"storage", "skip-missing"}, 1, "--record", "digests one FILE: a second one, --storage and --skip-missing are not for it"}},
     .min_files = 0, .run = write_record},
};

void check_refusals(const Mode& mode, const Job& job) {
    for (const Refusal& refusal : mode.refused) {
        if (!refusal.why) continue;
        bool refused = job.args.size() > refusal.max_files;
        for (const char* option : refusal.options) refused = refused || (option && job.cli.has(option));
        if (refused) fail_usage(refusal.what, refusal.why);
    }
    if (job.args.size() < mode.min_files) fail_usage("", "SCATTER missing (try 'fw-checksum --help')");
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
            ("storage", po::value<std::string>(), "scatter with several storage sections: use TYPE (EMMC, UFS, any case; default the first)")
            ("threads,j", po::value<std::string>(), "hash N files at a time, 1 to 1024 (default: every core)")
            ("records", po::value<std::string>(), "SCATTER mode: take each image's digests from DIR/FILE.digests "
                                                 "(written by --record) instead of reading it")
            ("record", "write the digests Checksum.ini needs of FILE (default: standard input) as a record")
            ("copy", "with --record: also copy FILE's bytes to standard output as they are read (-o RECORD required)");
        cli.positional("SCATTER|FILE", -1);
        if (!cli.parse()) return 0;
        Job job{cli, cli.inputs(), cli.text("check").value_or("")};
        job.missing = cli.has("skip-missing") ? MissingFiles::leave_out : MissingFiles::fail;
        job.threads = thread_count(cli);
        if (const auto format = cli.text("format")) job.format = parse_manifest_format(*format, "--format");
        if (cli.has("copy") && !cli.has("record")) fail_usage("--copy", "copies what --record reads: give --record");
        for (const Mode& mode : kModes) {
            if (mode.record != cli.has("record")) continue;
            if (!mode.record && (mode.format != cli.has("format") || mode.check != !job.check.empty())) continue;
            check_refusals(mode, job);
            return mode.run(job);
        }
        return 0;
    });
}
