// The one error type of mtkfw.  Code in common/ never prints: it throws a Failure (what went
// wrong, why, and which exit class of CLI.md it belongs to) or returns Notices; only the CLI
// layer (cli.cpp) turns them into "TOOL: error: WHAT: WHY" on stderr and an exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace mtkfw {

// Exit codes, identical for every tool (CLI.md) and listed in every man page.
enum class Exit : int {
    ok = 0,
    invalid_input = 1,  // bad CRC, truncated dump, not ext4, lying header, ...
    usage = 2,          // bad option or argument
    io = 3,             // open, read, write, disk full, broken pipe
    internal = 4,       // a bug: should never happen
};

class Failure : public std::runtime_error {
public:
    // `what` names the object (a file, a partition, an option); `why` says what is wrong with it.
    Failure(Exit code, const std::string& what, const std::string& why)
        : std::runtime_error(what.empty() ? why : what + ": " + why), code_(code) {}
    Exit code() const { return code_; }

private:
    Exit code_;
};

[[noreturn]] inline void fail_input(const std::string& what, const std::string& why) {
    throw Failure(Exit::invalid_input, what, why);
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
};
using Notices = std::vector<Notice>;

}  // namespace mtkfw
