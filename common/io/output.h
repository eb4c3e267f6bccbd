// Writing results: standard output (streamed) or a file named with -o, written to a temporary
// in the same folder and renamed over the final name only by commit().  An Output destroyed
// without commit() - an error, an exception - removes its temporary, and so does SIGINT/SIGTERM:
// a half-written file never appears under the final name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/fd.h"
#include "io/input.h"

namespace mtkfw {

struct OutputOptions {
    bool binary = true;           // refuse a terminal on stdout unless `-o -` was explicit
    bool explicit_stdout = false;
};

class Output {
public:
    // `path` "-" is stdout.  Fails (usage) when `path` is one of `inputs`.
    static Output open(const std::string& path, const std::vector<const Input*>& inputs = {},
                       OutputOptions options = {});
    // The same, for an output made from files named by path (a list of the images it sums, a
    // --preloader read elsewhere): refused when `path` is any of the regular files among
    // `sources`, or any of the `inputs` already open (standard input included).
    static Output open_over_none_of(const std::string& path, const std::vector<std::string>& sources,
                                    OutputOptions options = {}, std::vector<const Input*> inputs = {});
    // An anonymous scratch file in `folder` (already unlinked: it vanishes with the process),
    // for output that must be patched before it can go to a pipe.  Read it back through fd().
    static Output scratch(const std::string& folder);
    Output(Output&&) noexcept;
    Output& operator=(Output&&) = delete;
    ~Output();

    const std::string& name() const { return name_; }
    int fd() const { return fd_.get(); }
    // A regular file: holes can be left with skip(), positions can be rewritten.
    bool regular() const { return regular_; }
    uint64_t position() const { return position_; }

    void write(const void* buf, size_t n);
    void write(const std::string& s) { write(s.data(), s.size()); }
    // Advances `n` zero bytes: a hole in a regular file, written zeros elsewhere.
    void skip_zeros(uint64_t n);
    // Overwrites bytes already written (regular files only; used to patch headers).
    void write_at(const void* buf, size_t n, uint64_t offset);
    // Records that `n` bytes were written directly to fd() (copy_file_range, splice, ...).
    void advance(uint64_t n) { position_ += n; }

    // Sets the final length (holes included), flushes, renames the temporary into place.
    void commit();

private:
    Output() = default;
    std::string name_, final_path_, temp_path_;
    Fd fd_;
    bool regular_ = false, committed_ = false;
    uint64_t position_ = 0;
};

// Called once by run_tool(): removes pending temporaries when the process is interrupted
// (SIGINT, SIGTERM, SIGHUP) or its reader has gone (SIGPIPE), then dies of the same signal.
void install_output_cleanup();
// Unlinks every pending temporary; async-signal-safe, for the CLI's SIGBUS handler.
void remove_pending_outputs() noexcept;

}  // namespace mtkfw
