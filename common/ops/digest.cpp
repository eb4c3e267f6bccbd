#include "ops/digest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "base/evp_digest.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace mtkfw {
namespace {

constexpr size_t kChunk = size_t{1} << 20;  // one read(): large, and still cache-friendly
constexpr size_t kSlots = 4;                // buffers in flight to the MD5 thread

// MD5 through the one EVP wrapper, as the 16 bytes Checksum.ini and md5sum lists carry.
class Md5 {
public:
    void update(const uint8_t* p, size_t n) { evp_.update(Bytes(p, n)); }
    std::array<uint8_t, 16> final() {
        const std::vector<uint8_t> d = evp_.final();
        std::array<uint8_t, 16> md5{};
        std::copy_n(d.begin(), std::min(d.size(), md5.size()), md5.begin());
        return md5;
    }

private:
    EvpDigest evp_{EvpDigest::Kind::md5};
};

class Xxh128 {
public:
    Xxh128() : state_(XXH3_createState(), XXH3_freeState) {
        if (!state_ || XXH3_128bits_reset(state_.get()) != XXH_OK) throw std::bad_alloc();
    }
    void update(const uint8_t* p, size_t n) { XXH3_128bits_update(state_.get(), p, n); }
    std::array<uint8_t, 16> final() {
        XXH128_canonical_t canonical;
        XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state_.get()));
        std::array<uint8_t, 16> d{};
        std::copy(std::begin(canonical.digest), std::end(canonical.digest), d.begin());
        return d;
    }

private:
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state_;
};

// MD5 on its own thread: the reader fills slots in turn, this thread digests them in the same
// order, and a slot is refilled only once digested.  The reader meanwhile adds up the cheap
// digests, so a file costs about the time of MD5 alone.
class Md5Thread {
public:
    Md5Thread() : slots_(kSlots), sizes_(kSlots) {
        for (auto& s : slots_) s.resize(kChunk);
        thread_ = std::thread([this] { run(); });
    }
    ~Md5Thread() { close(); }
    Md5Thread(const Md5Thread&) = delete;
    Md5Thread& operator=(const Md5Thread&) = delete;

    // The buffer to fill next; waits until the MD5 thread is done with it.
    uint8_t* next_slot() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return produced_ - consumed_ < kSlots; });
        return slots_[produced_ % kSlots].data();
    }
    // The buffer from next_slot() holds `n` bytes.  The caller may go on reading it.
    void submit(size_t n) {
        {
            std::lock_guard lock(mutex_);
            sizes_[produced_ % kSlots] = n;
            ++produced_;
        }
        changed_.notify_all();
    }
    std::array<uint8_t, 16> finish() {
        close();
        if (error_) std::rethrow_exception(error_);
        return md5_.final();
    }

private:
    void run() {
        for (;;) {
            size_t slot, n;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [this] { return consumed_ < produced_ || closed_; });
                if (consumed_ == produced_) return;
                slot = consumed_ % kSlots;
                n = sizes_[slot];
            }
            try {
                if (!error_) md5_.update(slots_[slot].data(), n);
            } catch (...) {
                error_ = std::current_exception();
            }
            {
                std::lock_guard lock(mutex_);
                ++consumed_;
            }
            changed_.notify_all();
        }
    }
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

    std::vector<std::vector<uint8_t>> slots_;
    std::vector<size_t> sizes_;
    std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t produced_ = 0, consumed_ = 0;
    bool closed_ = false;
    Md5 md5_;
    std::exception_ptr error_;
    std::thread thread_;
};

}  // namespace

uint64_t add_bytes(const uint8_t* p, size_t n) {
    uint64_t sum = 0;
#ifdef __SSE2__
    // PSADBW against zero adds 8 bytes into a 64-bit lane: 16 bytes per instruction.
    const __m128i zero = _mm_setzero_si128();
    __m128i a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    for (; n >= 64; p += 64, n -= 64) {
        a0 = _mm_add_epi64(a0, _mm_sad_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), zero));
        a1 = _mm_add_epi64(a1, _mm_sad_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), zero));
        a2 = _mm_add_epi64(a2, _mm_sad_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), zero));
        a3 = _mm_add_epi64(a3, _mm_sad_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), zero));
    }
    const __m128i a = _mm_add_epi64(_mm_add_epi64(a0, a1), _mm_add_epi64(a2, a3));
    alignas(16) uint64_t lanes[2];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), a);
    sum = lanes[0] + lanes[1];
#endif
    for (size_t i = 0; i < n; ++i) sum += p[i];
    return sum;
}

struct DigestStream::State {
    DigestKinds kinds;
    std::optional<Md5> md5;
    std::optional<Xxh128> xxh;
    uint64_t sum = 0, bytes = 0;
};

DigestStream::DigestStream(DigestKinds kinds) : state_(std::make_unique<State>()) {
    state_->kinds = kinds;
    if (kinds.md5) state_->md5.emplace();
    if (kinds.xxh128) state_->xxh.emplace();
}

DigestStream::~DigestStream() = default;

void DigestStream::update(const uint8_t* p, size_t n) {
    if (state_->md5) state_->md5->update(p, n);
    if (state_->kinds.byte_sum) state_->sum += add_bytes(p, n);
    if (state_->xxh) state_->xxh->update(p, n);
    state_->bytes += n;
}

Digests DigestStream::finish() {
    Digests d;
    d.bytes = state_->bytes;
    d.byte_sum = static_cast<uint16_t>(state_->sum & 0xFFFF);
    if (state_->md5) d.md5 = state_->md5->final();
    if (state_->xxh) d.xxh128 = state_->xxh->final();
    return d;
}

Digests digest_input(Input& in, DigestKinds kinds, bool md5_thread, std::atomic<uint64_t>* done, const ByteSink& copy) {
    if (in.regular()) posix_fadvise(in.fd(), 0, 0, POSIX_FADV_SEQUENTIAL);
    std::optional<Md5Thread> md5_lane;
    if (kinds.md5 && md5_thread) md5_lane.emplace();
    DigestStream stream({kinds.byte_sum, kinds.md5 && !md5_lane, kinds.xxh128});
    std::vector<uint8_t> own_buffer(md5_lane ? 0 : kChunk);
    for (;;) {
        uint8_t* buf = md5_lane ? md5_lane->next_slot() : own_buffer.data();
        const size_t n = in.read(buf, kChunk);
        if (n == 0) break;
        if (copy) copy(buf, n);   // before submit(): the MD5 thread may reuse a submitted slot
        if (md5_lane) md5_lane->submit(n);
        stream.update(buf, n);
        if (done) done->fetch_add(n, std::memory_order_relaxed);
        if (n < kChunk) break;  // Input::read() returns less only at the end
    }
    Digests d = stream.finish();
    if (md5_lane) d.md5 = md5_lane->finish();
    return d;
}

namespace {

// Byte sums add up in any order: a large file is cut into pieces that every core shares (a
// firmware folder is one large system.img and small files; whole files would leave one core
// summing alone).  MD5 and XXH3 need the bytes in order: their files stay whole.
constexpr uint64_t kPiece = uint64_t{64} << 20;

struct Piece {
    explicit Piece(size_t f) : file(f) {}
    size_t file;
    uint64_t offset = 0, length = 0;  // length 0: the whole file through digest_input()
    uint64_t sum = 0;
    std::exception_ptr failure;  // the Failure that stopped this piece
};

uint64_t sum_range(const std::string& path, uint64_t offset, uint64_t length, std::atomic<uint64_t>& done) {
    Input in = Input::open(path);
    std::vector<uint8_t> buf(static_cast<size_t>(std::min<uint64_t>(kChunk, length)));
    uint64_t sum = 0;
    for (uint64_t at = offset, end = offset + length; at < end;) {
        const size_t k = static_cast<size_t>(std::min<uint64_t>(buf.size(), end - at));
        in.read_at(buf.data(), k, at);
        sum += add_bytes(buf.data(), k);
        at += k;
        done.fetch_add(k, std::memory_order_relaxed);
    }
    return sum;
}

// One piece per file, except a large file when only byte sums are asked for: pieces of kPiece.
// `total` gets the bytes of the regular files, for progress.
std::vector<Piece> plan_pieces(const std::vector<std::string>& paths, DigestKinds kinds, uint64_t& total) {
    const bool sum_only = kinds.byte_sum && !kinds.md5 && !kinds.xxh128;
    std::vector<Piece> pieces;
    for (size_t i = 0; i < paths.size(); ++i) {
        struct stat st;
        const bool regular = paths[i] != "-" && ::stat(paths[i].c_str(), &st) == 0 && S_ISREG(st.st_mode);
        const uint64_t size = regular ? static_cast<uint64_t>(st.st_size) : 0;
        total += size;
        if (sum_only && size > kPiece) {
            for (uint64_t at = 0; at < size; at += kPiece) {
                Piece piece(i);
                piece.offset = at;
                piece.length = std::min(kPiece, size - at);
                pieces.push_back(piece);
            }
        } else {
            pieces.emplace_back(i);
        }
    }
    return pieces;
}

// Runs `take_pieces` on `workers` threads and reports `done` every 250 ms until they finish.
// Anything thrown but a Failure is a bug: `stop` makes the others give up, and it is rethrown
// after the join.
void run_workers(unsigned workers, const std::function<void()>& take_pieces, const std::function<void()>& stop,
                 const std::atomic<uint64_t>& done, const ProgressMeter& progress) {
    std::mutex mutex;
    std::condition_variable finished_cv;
    unsigned finished = 0;
    std::exception_ptr error;
    auto work = [&] {
        try {
            take_pieces();
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!error) error = std::current_exception();
            stop();
        }
        {
            std::lock_guard lock(mutex);
            ++finished;
        }
        finished_cv.notify_all();
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < workers; ++t) threads.emplace_back(work);
    {
        std::unique_lock lock(mutex);
        while (!finished_cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return finished == workers; })) {
            progress.update(done.load(std::memory_order_relaxed));
        }
    }
    for (auto& t : threads) t.join();
    if (error) std::rethrow_exception(error);
}

// A file cut into pieces: its byte sum is the sum of theirs.
void add_up_pieces(const std::vector<Piece>& pieces, std::vector<FileDigest>& results) {
    std::vector<uint64_t> sums(results.size());
    for (const Piece& piece : pieces) {
        if (!piece.length) continue;
        FileDigest& r = results[piece.file];
        sums[piece.file] += piece.sum;
        r.digests.bytes += piece.length;
        r.digests.byte_sum = static_cast<uint16_t>(sums[piece.file] & 0xFFFF);
    }
}

// Each unreadable file, in input order, once (the first of its pieces to fail says why).
void settle_unreadable(const std::vector<Piece>& pieces, std::vector<FileDigest>& results, Unreadable policy,
                       Notices& notices) {
    std::vector<std::exception_ptr> first(results.size());
    for (const Piece& piece : pieces) {
        if (piece.failure && !first[piece.file]) first[piece.file] = piece.failure;
    }
    for (size_t i = 0; i < results.size(); ++i) {
        if (!first[i]) continue;
        if (policy == Unreadable::fail) std::rethrow_exception(first[i]);
        results[i].unreadable = true;
        try {
            std::rethrow_exception(first[i]);
        } catch (const Failure& f) {
            notices.push_back({Notice::Level::warning, f.what()});
        }
    }
}

}  // namespace

std::vector<FileDigest> digest_files(const std::vector<std::string>& paths, DigestKinds kinds,
                                     const DigestRunOptions& options, Notices& notices) {
    std::vector<FileDigest> results(paths.size());
    if (paths.empty()) return results;
    if (std::count(paths.begin(), paths.end(), "-") > 1) {
        fail_usage("-", "standard input can be read only once");
    }
    for (size_t i = 0; i < paths.size(); ++i) results[i].path = paths[i];
    uint64_t total = 0;
    std::vector<Piece> pieces = plan_pieces(paths, kinds, total);
    const unsigned cores = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const unsigned workers = static_cast<unsigned>(std::min<size_t>(cores, pieces.size()));
    // An idle core per file: give MD5 its own thread.
    const bool md5_thread = kinds.md5 && workers * 2 <= cores;

    std::atomic<size_t> next{0};
    std::atomic<uint64_t> done{0};
    const auto take_pieces = [&] {
        for (size_t n; (n = next.fetch_add(1)) < pieces.size();) {
            Piece& piece = pieces[n];
            try {
                if (piece.length) {
                    piece.sum = sum_range(paths[piece.file], piece.offset, piece.length, done);
                } else {
                    Input in = Input::open(paths[piece.file]);
                    results[piece.file].digests = digest_input(in, kinds, md5_thread, &done);
                }
            } catch (const Failure&) {
                piece.failure = std::current_exception();
            }
        }
    };
    const ProgressMeter progress(options.progress, total);
    run_workers(workers, take_pieces, [&] { next = pieces.size(); }, done, progress);
    add_up_pieces(pieces, results);
    progress.update(done.load());
    settle_unreadable(pieces, results, options.unreadable, notices);
    return results;
}

}  // namespace mtkfw
