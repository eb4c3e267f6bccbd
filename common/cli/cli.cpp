#include "cli/cli.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "base/number.h"
#include "io/output.h"

#ifndef MTKFW_VERSION
#define MTKFW_VERSION "unknown"
#endif

namespace mtkfw {

Cli::Cli(const Tool& tool, int argc, char** argv) : tool_(tool), argc_(argc), argv_(argv) {}

void Cli::positional(const char* name, int max_count) { positionals_.emplace_back(name, max_count); }

namespace {

po::options_description common_options() {
    po::options_description common("Common options");
    auto add = common.add_options();
    add("help,h", "show this help and exit");
    add("version,V", "show the version and exit");
    add("output,o", po::value<std::string>(), "write to FILE (atomically) instead of stdout; - for stdout");
    add("quiet,q", "print nothing but errors");
    add("verbose,v", "print more about what is done");
    add("progress", "show progress on stderr");
    add("no-progress", "never show progress");
    return common;
}

void print_help(const Tool& tool, const po::options_description& own, const po::options_description& common) {
    std::cout << "Usage: " << tool.name << " " << tool.synopsis << "\n"
              << tool.summary << "\n\n"
              << own << "\n"
              << common << "\n"
              << "With no file, or when a file is -, read standard input.\n"
              << "Exit status: 0 ok, 1 invalid input, 2 usage error, 3 I/O error, 4 internal error;\n"
              << "killed by SIGPIPE (141 in the shell), silently, when stdout's reader has gone, as cat is.\n\n"
              << "Example:\n  " << tool.example << "\n\n"
              << "See " << tool.name << "(1) for the full manual.\n";
}

}  // namespace

void Cli::store(const po::options_description& common) {
    po::options_description hidden;
    hidden.add_options()("input-files", po::value<std::vector<std::string>>(), "");
    po::positional_options_description pos;
    pos.add("input-files", -1);

    po::options_description all;
    all.add(options_).add(common).add(hidden);
    try {
        po::store(po::command_line_parser(argc_, argv_).options(all).positional(pos).run(), vm_);
        po::notify(vm_);
    } catch (const po::error& e) {
        fail_usage("", std::string(e.what()) + " (try '" + tool_.name + " --help')");
    }
}

bool Cli::parse() {
    const po::options_description common = common_options();
    store(common);
    if (vm_.count("help")) {
        print_help(tool_, options_, common);
        return false;
    }
    if (vm_.count("version")) {
        std::cout << tool_.name << " (mtkfw) " << MTKFW_VERSION << "\n";
        return false;
    }

    if (vm_.count("input-files")) inputs_ = vm_["input-files"].as<std::vector<std::string>>();
    for (const std::string& input : inputs_) {
        if (input.empty()) fail_usage("", "an empty file name (use - for standard input)");
    }
    int max_inputs = 0;
    for (const auto& p : positionals_) max_inputs = (p.second < 0 || max_inputs < 0) ? -1 : max_inputs + p.second;
    if (max_inputs >= 0 && static_cast<int>(inputs_.size()) > max_inputs) {
        fail_usage("", "too many arguments: '" + inputs_[max_inputs] + "' (try '" + tool_.name + " --help')");
    }
    if (vm_.count("output")) {
        output_ = vm_["output"].as<std::string>();
        if (output_.empty()) fail_usage("--output", "empty file name");
        explicit_stdout_ = output_ == "-";
    }
    if (vm_.count("quiet")) verbosity_ = 0;
    if (vm_.count("verbose")) verbosity_ = 2;
    if (vm_.count("progress")) progress_ = 1;
    if (vm_.count("no-progress")) progress_ = 0;
    return true;
}

std::optional<std::string> Cli::text(const char* option) const {
    if (!has(option)) return std::nullopt;
    return vm_[option].as<std::string>();
}

std::optional<uint64_t> Cli::size(const char* option) const {
    if (!has(option)) return std::nullopt;
    return parse_size(vm_[option].as<std::string>(), std::string("--") + option);
}

std::string Cli::input() const { return inputs_.empty() ? "-" : inputs_.front(); }

bool Cli::progress(bool long_work) const {
    if (progress_ >= 0) return progress_ == 1;
    return long_work && verbosity_ > 0 && isatty(STDERR_FILENO);
}

void Cli::warn(const std::string& text) const {
    ++warnings_;
    if (verbosity_ >= 1) std::cerr << tool_.name << ": warning: " << text << "\n";
}

void Cli::info(const std::string& text) const {
    if (verbosity_ >= 1) std::cerr << tool_.name << ": " << text << "\n";
}

void Cli::verbose(const std::string& text) const {
    if (verbosity_ >= 2) std::cerr << tool_.name << ": " << text << "\n";
}

namespace {

// The tool's words for `remedy`, or nothing when it offers none.
const char* hint_for(const Tool& tool, Remedy remedy) {
    for (const Hint& h : tool.hints) {
        if (remedy != Remedy::none && h.remedy == remedy) return h.text;
    }
    return nullptr;
}

}  // namespace

void Cli::show(const Notices& notices) const {
    for (const Notice& n : notices) {
        if (n.level == Notice::Level::warning) warn(n.text);
        else info(n.text);
        if (const char* hint = hint_for(tool_, n.remedy); hint && verbosity_ >= 1) {
            std::cerr << tool_.name << ": hint: " << hint << "\n";
        }
    }
}

namespace {

// Inputs are mapped (io/window): a file cut short by another process while we read it raises
// SIGBUS on the vanished pages.  Said like any I/O error, with only unlink(), write() and _exit().
char g_tool[64];

void on_bus_error(int) {
    remove_pending_outputs();
    static const char why[] = ": error: an input file changed while being read (it was cut short)\n";
    if (write(STDERR_FILENO, g_tool, strlen(g_tool)) >= 0) {
        [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, why, sizeof why - 1);
    }
    _exit(static_cast<int>(Exit::io));
}

void install_bus_error_report(const char* tool) {
    std::strncpy(g_tool, tool, sizeof g_tool - 1);
    signal(SIGBUS, on_bus_error);
}

}  // namespace

namespace {

void report(const Tool& tool, const Failure& f) {
    std::cerr << tool.name << ": error: " << f.what() << "\n";
    if (const char* hint = hint_for(tool, f.remedy())) std::cerr << tool.name << ": hint: " << hint << "\n";
}

int run_reporting(const Tool& tool, int argc, char** argv, const std::function<int(Cli&)>& body) {
    try {
        Cli cli(tool, argc, argv);
        const int status = body(cli);
        std::cout.flush();
        if (!std::cout) fail_io("standard output", errno ? errno : EIO);
        return status;
    } catch (const Failure& f) {
        report(tool, f);
        return static_cast<int>(f.code());
    } catch (const std::bad_alloc&) {
        std::cerr << tool.name << ": error: out of memory\n";
        return static_cast<int>(Exit::internal);
    } catch (const std::exception& e) {
        std::cerr << tool.name << ": error: internal error: " << e.what() << "\n";
        return static_cast<int>(Exit::internal);
    }
}

}  // namespace

int run_tool(const Tool& tool, int argc, char** argv, const std::function<int(Cli&)>& body) {
    // A closed stdout kills the tool by SIGPIPE, as it kills cat (io/output: after cleanup).
    install_output_cleanup();
    install_bus_error_report(tool.name);
    return run_reporting(tool, argc, argv, body);
}

}  // namespace mtkfw
