// bl-strip: the exact preloader (preloader_<project>.bin) out of a BOOT1 readback.
#include "cli/cli.h"
#include "io/input.h"
#include "io/output.h"
#include "ops/preloader.h"

namespace {

const mtkfw::Tool kTool = {
    "bl-strip",
    "[-o FILE] [--info | --json | --name | --range | --project] [--strict] [BOOT1]",
    "Write the preloader image inside a BOOT1 readback: exactly its GFH file_len bytes.",
    "bl-strip -o \"$(bl-strip --name sample/Boot1)\" sample/Boot1",
};

[[noreturn]] void fail_strict(const mtkfw::Input& in, const mtkfw::Cli& cli) {
    mtkfw::fail_input(in.name(), std::to_string(cli.warnings()) + " warning(s) and --strict");
}

}  // namespace

int main(int argc, char** argv) {
    return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
        cli.options().add_options()
            ("info", "describe the header and the preloader instead of writing it")
            ("json", "the same description as JSON, for programs")
            ("name", "print the stock file name (preloader_<project>.bin, else preloader.bin)")
            ("range", "print the preloader's offset and length in BOOT1 (decimal), checking only the headers")
            ("project", "print the project in the preloader's stock name (preloader_<project>.bin); exit 1 when none")
            ("strict", "fail (exit 1) on warnings and on a SHA-256 mismatch");
        cli.positional("BOOT1", 1);
        if (!cli.parse()) return 0;
        const int views = static_cast<int>(cli.has("info") + cli.has("json") + cli.has("name") + cli.has("range") +
                                           cli.has("project"));
        if (views > 1) mtkfw::fail_usage("", "--info, --json, --name, --range and --project exclude each other");

        mtkfw::Input in = mtkfw::Input::open(cli.input());
        mtkfw::Output out = mtkfw::Output::open(cli.output(), {&in},
                                                {.binary = views == 0, .explicit_stdout = cli.explicit_stdout()});
        mtkfw::Notices notices;
        if (cli.has("range") && in.seekable()) {
            const mtkfw::PreloaderRange range = mtkfw::locate_preloader(in, notices);
            cli.show(notices);
            if (cli.has("strict") && cli.warnings() > 0) fail_strict(in, cli);
            out.write(std::to_string(range.offset) + " " + std::to_string(range.length) + "\n");
            out.commit();
            return 0;
        }
        const mtkfw::PreloaderApproval approve = [&](const mtkfw::PreloaderReport& r) {
            if (r.layout.from == mtkfw::GfhOffsetFrom::raw) {
                cli.verbose("input is already a raw preloader image: passed through after the checks");
            }
            cli.show(notices);
            if (cli.has("strict") && cli.warnings() > 0) fail_strict(in, cli);
        };
        mtkfw::PreloaderReport r;
        if (views == 0) {
            r = mtkfw::write_preloader(in, out, notices, approve);
        } else {
            r = mtkfw::extract_preloader(in, nullptr, notices);
            approve(r);
        }
        if (cli.has("info")) out.write(mtkfw::preloader_report_text(r));
        if (cli.has("json")) out.write(mtkfw::preloader_report_json(r));
        if (cli.has("name")) out.write(mtkfw::preloader_file_name(r.trailer) + "\n");
        if (cli.has("project")) out.write(mtkfw::preloader_project(r) + "\n");
        if (cli.has("range")) out.write(std::to_string(r.layout.gfh_offset) + " " + std::to_string(r.info.file_len) + "\n");
        out.commit();
        return 0;
    });
}
