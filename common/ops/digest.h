// Digests of whole files, each file read once with large sequential reads whatever set of
// digests is asked for:
//   - byte sum: MediaTek's Checksum.ini V1 value, the sum of every byte of the file as stored,
//     mod 65536 (doc/FORMATS.md, verified against stock images; SP Flash Tool Rules/ChksumRule.cpp);
//   - MD5 through OpenSSL EVP (Checksum.ini V2, md5sum manifests);
//   - XXH3-128 through libxxhash (xxhsum -H2 manifests), kept in xxHash's canonical big-endian
//     form, which is what xxhsum prints.
// digest_files() hashes several files on all cores and returns the results in input order; when
// only byte sums are asked for, large files are cut into pieces summed on all cores.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/failure.h"
#include "base/progress.h"
#include "io/input.h"

namespace mtkfw {

struct DigestKinds {
    bool byte_sum = false;
    bool md5 = false;
    bool xxh128 = false;
};

struct Digests {
    uint64_t bytes = 0;                 // length read
    uint16_t byte_sum = 0;              // sum of all bytes mod 65536
    std::array<uint8_t, 16> md5{};
    std::array<uint8_t, 16> xxh128{};   // canonical (big-endian) bytes
};

// The sum of `n` bytes, to be added up (mod 2^64) across a file.
uint64_t add_bytes(const uint8_t* p, size_t n);

// Digests of bytes handed over in order, piece by piece, by a reader that has them anyway (the
// sparse chunk reader of ext4-sparse --verify --record): the same values digest_input() gives.
class DigestStream {
public:
    explicit DigestStream(DigestKinds kinds);
    ~DigestStream();
    DigestStream(const DigestStream&) = delete;
    DigestStream& operator=(const DigestStream&) = delete;
    void update(const uint8_t* p, size_t n);
    Digests finish();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Where digest_input() hands each buffer it read, in order, before digesting it (fw-checksum
// --record --copy: the bytes go on to a check that reads them from a pipe).
using ByteSink = std::function<void(const uint8_t* data, size_t n)>;

// Reads `in` to its end once.  `md5_thread` runs MD5 on a second thread fed the same buffers
// (worth it only when a core is idle: MD5 is the slow digest).  `done`, when given, is
// increased by every buffer read (for progress from another thread); `copy`, when given, gets
// every buffer.
Digests digest_input(Input& in, DigestKinds kinds, bool md5_thread = false,
                     std::atomic<uint64_t>* done = nullptr, const ByteSink& copy = {});

// One file of digest_files().
struct FileDigest {
    std::string path;
    Digests digests;
    bool unreadable = false;  // it could not be opened or read (Unreadable::warn said why)
};

// What digest_files() does about a file it cannot open or read.
enum class Unreadable {
    fail,  // throws that file's Failure (the first in input order), once every file was tried
    warn,  // says why in a warning and marks the FileDigest unreadable: a check reports it failed
};

struct DigestRunOptions {
    unsigned threads = 0;        // 0: every core
    ProgressFn progress;         // bytes done, reported from the calling thread
    Unreadable unreadable = Unreadable::fail;
};

// Hashes every file ("-" is standard input, at most once) in parallel; results in input order.
std::vector<FileDigest> digest_files(const std::vector<std::string>& paths, DigestKinds kinds,
                                     const DigestRunOptions& options, Notices& notices);

}  // namespace mtkfw
