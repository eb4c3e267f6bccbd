// The one error type of mtkfw, and the one way the library says "this failed": it throws a
// Failure (what went wrong, why, its exit class of doc/CLI.md, and what the user can do about it).
// A caller with a fallback (the backup GPT, another content guess) catches it and keeps its text.
// Things worth knowing that are not failures travel as Notices.  Code in common/ never prints:
// only the CLI layer (cli/cli.cpp) turns these into "TOOL: error: WHAT: WHY" and an exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace mtkfw {

// Exit codes, identical for every tool (doc/CLI.md) and listed in every man page.
enum class Exit : int {
    ok = 0,
    invalid_input = 1,  // bad CRC, truncated dump, not ext4, lying header, ...
    usage = 2,          // bad option or argument
    io = 3,             // open, read, write, disk full, broken pipe
    internal = 4,       // a bug: should never happen
};

// What the user can do about a failure, in no tool's words: the library knows no command-line
// flag, so each tool says the remedy with its own options (Tool::hints in cli/cli.h), and a
// script that runs the tool says it with its own, or not at all.
enum class Remedy {
    none,
    copy_every_block,  // the file system cannot say which blocks are used: copy them all
    check_device_size,  // the user area's length is wrong or unknown
    absolute_tail,      // an end-relative scatter address cannot say where: write it absolute
    device_size_or_absolute_tail,
    name_platform,      // the chip is unknown or malformed: the user must say it
    skip_missing,       // files a list names are missing: leave them out instead of failing
    skip_cut,           // partitions a truncated readback lacks: build without them
    write_policy,       // partitions no built-in rule knows: the user's own rules can name them
    name_type,          // a downloaded partition's type is unknown: list the dump itself, or say the type
    expand_sparse,      // the input is already an Android sparse image: expand it to raw bytes first
    give_template,      // a legacy MBR/EBR table names no partition: a stock scatter of the model must
};

class Failure : public std::runtime_error {
public:
    // `what` names the object (a file, a partition, an option); `why` says what is wrong with it.
    Failure(Exit code, const std::string& what, const std::string& why, Remedy remedy = Remedy::none)
        : std::runtime_error(what.empty() ? why : what + ": " + why), code_(code), remedy_(remedy) {}
    Exit code() const { return code_; }
    Remedy remedy() const { return remedy_; }

private:
    Exit code_;
    Remedy remedy_;
};

[[noreturn]] inline void fail_input(const std::string& what, const std::string& why, Remedy remedy = Remedy::none) {
    throw Failure(Exit::invalid_input, what, why, remedy);
}
[[noreturn]] inline void fail_usage(const std::string& what, const std::string& why) {
    throw Failure(Exit::usage, what, why);
}
// A system call failed: `why` is strerror(err).
[[noreturn]] void fail_io(const std::string& what, int err);

// Something a parser wants the user to know without failing: the caller decides how to show it.
struct Notice {
    enum class Level { info, warning };
    Level level;
    std::string text;
    Remedy remedy = Remedy::none;  // said by the tool as a hint after the notice, like a Failure's
};
using Notices = std::vector<Notice>;

}  // namespace mtkfw
