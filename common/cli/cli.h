// The command-line layer every filter shares (doc/CLI.md): Boost.Program_options setup with the
// common options, messages on stderr with the tool's name, and the mapping of failures to
// exit codes.  A filter's main is:
//
//   int main(int argc, char** argv) {
//       return mtkfw::run_tool(kTool, argc, argv, [](mtkfw::Cli& cli) {
//           cli.options().add_options()("tsv", "...");
//           cli.positional("DUMP", 1);
//           if (!cli.parse()) return 0;          // --help or --version was answered
//           ...                                    // throw Failure on error
//           return 0;
//       });
//   }
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/failure.h"

namespace mtkfw {

namespace po = boost::program_options;

// A remedy said in one tool's words: printed as "TOOL: hint: TEXT" after the error it fits.
struct Hint {
    Remedy remedy;
    const char* text;  // "use --all-blocks to copy every block instead"
};

struct Tool {
    const char* name;      // "gpt-list"
    const char* synopsis;  // "[--tsv | --json] [DUMP]" (options after the name)
    const char* summary;   // one line: what the tool does
    const char* example;   // one example command line, shown by --help
    std::span<const Hint> hints = {};  // the remedies this tool can offer
};

class Cli {
public:
    Cli(const Tool& tool, int argc, char** argv);

    // Tool-specific options; the common ones (-h -V -o -q -v --progress --no-progress) are
    // added by parse().
    po::options_description& options() { return options_; }
    void positional(const char* name, int max_count);  // -1: any number

    // Parses argv.  Returns false when --help or --version was printed (exit 0).
    bool parse();

    const po::variables_map& vm() const { return vm_; }
    bool has(const char* option) const { return vm_.count(option) > 0; }
    // A string option's value, nullopt when absent: the one way a filter reads an option
    // (with has() for switches and size() for numbers).
    std::optional<std::string> text(const char* option) const;
    // A size or offset option ("4096", "0x1000", "4M", ...: number.h), nullopt when absent;
    // a bad number is a usage Failure naming --option.
    std::optional<uint64_t> size(const char* option) const;
    // Positional arguments (the files); empty when none were given.
    const std::vector<std::string>& inputs() const { return inputs_; }
    // The one input of a filter: "-" when none was given.
    std::string input() const;
    // -o/--output, "-" (stdout) by default; explicit_stdout() tells `-o -` from nothing.
    const std::string& output() const { return output_; }
    bool explicit_stdout() const { return explicit_stdout_; }

    // 0 quiet, 1 errors+warnings (default), 2 verbose.
    int verbosity() const { return verbosity_; }
    // --progress / --no-progress, else: only when stderr is a terminal and the work is long.
    bool progress(bool long_work) const;

    void warn(const std::string& text) const;
    void info(const std::string& text) const;  // shown unless --quiet
    void verbose(const std::string& text) const;  // shown with -v
    void show(const Notices& notices) const;
    int warnings() const { return warnings_; }

    const Tool& tool() const { return tool_; }

private:
    void store(const po::options_description& common);  // argv into vm_, a usage Failure on error
    const Tool& tool_;
    int argc_;
    char** argv_;
    po::options_description options_{"Options"};
    std::vector<std::pair<std::string, int>> positionals_;
    po::variables_map vm_;
    std::vector<std::string> inputs_;
    std::string output_ = "-";
    bool explicit_stdout_ = false;
    int verbosity_ = 1;
    int progress_ = -1;  // -1 automatic, 0 off, 1 on
    mutable int warnings_ = 0;
};

// Runs `body`, printing any Failure as "TOOL: error: ..." and returning its exit code.
int run_tool(const Tool& tool, int argc, char** argv, const std::function<int(Cli&)>& body);

}  // namespace mtkfw
