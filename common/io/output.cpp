#include "io/output.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "base/failure.h"

namespace mtkfw {
namespace {

// Temporaries that exist right now, for the signal handler (which may only call unlink).
constexpr size_t kMaxPending = 16;
std::array<char[4096], kMaxPending> g_pending;
volatile sig_atomic_t g_pending_used[kMaxPending];

void remember(const std::string& path) {
    for (size_t i = 0; i < kMaxPending; ++i) {
        if (!g_pending_used[i] && path.size() < sizeof(g_pending[i])) {
            std::memcpy(g_pending[i], path.c_str(), path.size() + 1);
            g_pending_used[i] = 1;
            return;
        }
    }
}

void forget(const std::string& path) {
    for (size_t i = 0; i < kMaxPending; ++i) {
        if (g_pending_used[i] && path == g_pending[i]) g_pending_used[i] = 0;
    }
}

}  // namespace

void remove_pending_outputs() noexcept {
    for (size_t i = 0; i < kMaxPending; ++i) {
        if (g_pending_used[i]) unlink(g_pending[i]);
    }
}

namespace {

void on_signal(int sig) {
    remove_pending_outputs();
    signal(sig, SIG_DFL);
    raise(sig);
}

std::string folder_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void install_output_cleanup() {
    // SIGPIPE too: a reader that left (`| head`) ends the tool as it ends cat, killed by SIGPIPE
    // (status 128+13 in the shell) and silent, but without leaving a temporary behind.  Unblocked,
    // so that an inherited mask cannot turn it into an EPIPE error message instead.
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) signal(sig, on_signal);
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigprocmask(SIG_UNBLOCK, &pipe_only, nullptr);
}

Output Output::open_over_none_of(const std::string& path, const std::vector<std::string>& sources,
                                 OutputOptions options, std::vector<const Input*> inputs) {
    // Only a regular file can be overwritten in place (opening a FIFO again would wait for a writer).
    std::vector<Input> opened;
    opened.reserve(sources.size());
    for (const std::string& source : sources) {
        struct stat st;
        if (source != "-" && ::stat(source.c_str(), &st) == 0 && S_ISREG(st.st_mode)) opened.push_back(Input::open(source));
    }
    for (const Input& in : opened) inputs.push_back(&in);
    return open(path, inputs, options);
}

Output Output::open(const std::string& path, const std::vector<const Input*>& inputs, OutputOptions options) {
    Output out;
    for (const Input* in : inputs) {
        if (in && same_file(path, *in)) fail_usage(path, "output is the same file as the input");
    }
    if (path == "-") {
        out.name_ = "standard output";
        out.fd_ = Fd(STDOUT_FILENO, false);
        if (options.binary && !options.explicit_stdout && isatty(STDOUT_FILENO)) {
            fail_usage("standard output", "is a terminal; redirect it, or use -o FILE (-o - to force)");
        }
        struct stat st;
        if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
            for (const Input* in : inputs) {
                if (in && st.st_dev == in->device() && st.st_ino == in->inode()) {
                    fail_usage("standard output", "is the same file as the input");
                }
            }
            // `tool > file`: holes are fine; positions start where the shell left them.  Not
            // with `>>`: O_APPEND writes land at the end whatever lseek skipped, losing holes.
            out.regular_ = lseek(STDOUT_FILENO, 0, SEEK_CUR) == 0 && !(fcntl(STDOUT_FILENO, F_GETFL) & O_APPEND);
        }
        return out;
    }
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        // A device or fifo (/dev/null, /dev/full, a named pipe): write to it directly.
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) fail_io(path, errno);
        out.name_ = path;
        out.fd_ = Fd(fd);
        return out;
    }
    out.name_ = out.final_path_ = path;
    out.temp_path_ = folder_of(path) + "/." + base_of(path) + ".tmpXXXXXX";
    std::string templ = out.temp_path_;
    const int fd = mkostemp(templ.data(), O_CLOEXEC);
    if (fd < 0) fail_io(path, errno);
    out.temp_path_ = templ;
    remember(out.temp_path_);
    out.fd_ = Fd(fd);
    out.regular_ = true;
    const mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    return out;
}

Output Output::scratch(const std::string& folder) {
    Output out;
    out.name_ = "temporary file in " + folder;
    int fd = ::open(folder.c_str(), O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
    if (fd < 0) {  // file systems without O_TMPFILE
        std::string templ = folder + "/.mtkfw-scratch.XXXXXX";
        fd = mkostemp(templ.data(), O_CLOEXEC);
        if (fd < 0) fail_io(out.name_, errno);
        unlink(templ.c_str());
    }
    out.fd_ = Fd(fd);
    out.regular_ = true;
    return out;
}

Output::Output(Output&& o) noexcept
    : name_(std::move(o.name_)),
      final_path_(std::move(o.final_path_)),
      temp_path_(std::move(o.temp_path_)),
      fd_(std::move(o.fd_)),
      regular_(o.regular_),
      committed_(o.committed_),
      position_(o.position_) {
    o.temp_path_.clear();
}

Output::~Output() {
    if (!temp_path_.empty() && !committed_) {
        unlink(temp_path_.c_str());
        forget(temp_path_);
    }
}

void Output::write(const void* buf, size_t n) {
    write_full(fd(), buf, n, std::nullopt, name_);
    position_ += n;
}

void Output::skip_zeros(uint64_t n) {
    if (n == 0) return;
    if (regular_) {
        if (lseek(fd(), static_cast<off_t>(n), SEEK_CUR) < 0) fail_io(name_, errno);
        position_ += n;
        return;
    }
    static const std::array<unsigned char, 1 << 16> zeros{};
    while (n > 0) {
        const size_t k = static_cast<size_t>(std::min<uint64_t>(n, zeros.size()));
        write(zeros.data(), k);
        n -= k;
    }
}

void Output::write_at(const void* buf, size_t n, uint64_t offset) {
    write_full(fd(), buf, n, offset, name_);
}

void Output::commit() {
    // A trailing hole needs the length set explicitly.
    if (regular_ && ftruncate(fd(), static_cast<off_t>(position_)) != 0) fail_io(name_, errno);
    if (!temp_path_.empty()) {
        // No fsync: like cp and dd, durability is the file system's business; the rename
        // only guarantees that the final name never shows a partial file.
        if (::close(fd_.release()) != 0) fail_io(name_, errno);
        if (rename(temp_path_.c_str(), final_path_.c_str()) != 0) fail_io(name_, errno);
        forget(temp_path_);
    }
    committed_ = true;
}

}  // namespace mtkfw
