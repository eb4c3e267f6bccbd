// Reading a dump: a file, a block device or a pipe, with 64-bit offsets throughout.
// Seekable inputs are read with exact pread()s (read only what is needed); a pipe is read
// forward once.  Every short read is a Failure that says where the input ended.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "io/fd.h"

namespace mtkfw {

class Input {
public:
    // "-" means standard input.  Directories and unopenable files are Failures (exit 3 for
    // system errors, 1 for a directory).
    static Input open(const std::string& path);
    // `bytes` as a seekable input of `size` bytes (bytes past `bytes` read as zeros) named
    // `name`: an anonymous in-memory file (memfd), so that a reader written for files can parse
    // the head of a pipe (the LP metadata of a super read from standard input).  Memory: bytes.size().
    static Input memory(const std::string& name, const void* bytes, size_t n, uint64_t size);

    const std::string& path() const { return path_; }
    // For messages: the path, or "standard input".
    const std::string& name() const { return name_; }
    int fd() const { return fd_.get(); }
    bool seekable() const { return seekable_; }
    bool regular() const { return regular_; }
    // Byte length; only meaningful when seekable().
    uint64_t size() const { return size_; }
    dev_t device() const { return dev_; }
    ino_t inode() const { return ino_; }

    // Exactly `n` bytes at `offset`, or a Failure (exit 1, "truncated") naming the offset.
    void read_at(void* buf, size_t n, uint64_t offset) const;
    // Up to `n` bytes at `offset`; fewer only at the end of the input.
    size_t read_some_at(void* buf, size_t n, uint64_t offset) const;

    // Forward reading (pipes and files alike): fills `buf` until `n` bytes or end of input.
    size_t read(void* buf, size_t n);
    // Exactly `n` bytes forward, or a truncation Failure.
    void read_exact(void* buf, size_t n);
    // Skips `n` bytes forward (lseek when possible, else reads and discards).
    void skip(uint64_t n);
    // Bytes consumed so far by read()/skip().
    uint64_t position() const { return position_; }

private:
    Input() = default;
    std::string path_, name_;
    Fd fd_;
    bool seekable_ = false, regular_ = false;
    uint64_t size_ = 0, position_ = 0;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
};

// True when `path` names the same file as `in` (an output that would overwrite its input).
bool same_file(const std::string& path, const Input& in);

}  // namespace mtkfw
