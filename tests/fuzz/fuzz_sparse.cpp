// Fuzzes the Android sparse decoder of ext4-sparse -d (format/sparse_format.h, ops/sparse_reader.h:
// file and chunk headers, RAW/FILL/DONT_CARE/CRC32 chunks, sizes that overflow 32 bits, counts
// that do not add up), from a file or a pipe.  Checked: the header's totals agree with the
// decode, and the decoded image passes the pipeline's verifier against the same sparse image
// (every RAW/FILL block as written): both read through the one chunk reader, so they agree on
// what an image is, trailing data included (a warning for both); the verifier's tap digests
// every byte of the file.
//
// Input: byte 0 holds options, the rest is the sparse image.
//   bit 0  read it through a pipe
// Images that expand to more than 256 KiB + 16 bytes per input byte are only parsed up to
// their header here (the decode would spend the fuzzer's time writing FILL data, thousands of
// runs a second are the aim); tests/bad-input.bats covers huge sizes.
#include "fuzz_support.h"
#include "io/output.h"
#include "format/sparse_format.h"
#include "ops/sparse_decode.h"
#include "ops/sparse_verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    const mtkfw::Bytes image(data + 1, size - 1);
    mtkfw::sparse::FileHeader header;
    if (image.size() < mtkfw::sparse::kFileHeaderSize ||
        !fuzz::accepts([&] { header = mtkfw::sparse::parse_file_header(image, "fuzz"); })) {
        return 0;
    }
    const uint64_t expanded = static_cast<uint64_t>(header.total_blks) * header.blk_sz;
    if (expanded > (256u << 10) + 16 * static_cast<uint64_t>(size)) return 0;

    mtkfw::Output out = mtkfw::Output::open(fuzz::scratch_output("fuzz_sparse"));
    mtkfw::Notices notices;
    mtkfw::sparse::Summary s;
    bool decoded;
    if (flags & 1) {
        fuzz::PipeFile pipe(image.data(), image.size());
        mtkfw::Input in = mtkfw::Input::open(pipe.path());
        pipe.close_writer();
        decoded = fuzz::accepts([&] { s = mtkfw::sparse::decode(in, out, nullptr, notices); });
    } else {
        fuzz::MemFile file(image.data(), image.size());
        mtkfw::Input in = mtkfw::Input::open(file.path());
        decoded = fuzz::accepts([&] { s = mtkfw::sparse::decode(in, out, nullptr, notices); });
    }
    if (!decoded) return 0;
    FUZZ_CHECK(s.total_blocks == header.total_blks && s.blk_sz == header.blk_sz);
    FUZZ_CHECK(s.raw_blocks + s.fill_blocks + s.dont_care_blocks == s.total_blocks);
    FUZZ_CHECK(out.position() == expanded);

    // What Output::commit() does first: a trailing DONT_CARE is a hole that sets the length.
    FUZZ_CHECK(ftruncate(out.fd(), static_cast<off_t>(out.position())) == 0);
    fuzz::MemFile again(image.data(), image.size());
    mtkfw::Input sparse_in = mtkfw::Input::open(again.path());
    const mtkfw::Input raw = mtkfw::Input::open(fuzz::fd_path(out.fd()));
    mtkfw::Notices verify_notices;
    // With a tap (ext4-sparse --verify --record): it sees every byte of the file, in order,
    // however the reader took them (read, mapped, skipped, after the last chunk).
    mtkfw::DigestStream tap({true, false, false});
    FUZZ_CHECK(fuzz::accepts([&] { mtkfw::sparse::verify(sparse_in, raw, 0, expanded, {}, verify_notices, &tap); }));
    FUZZ_CHECK(verify_notices.size() == notices.size());
    const mtkfw::Digests tapped = tap.finish();
    FUZZ_CHECK(tapped.bytes == image.size());
    FUZZ_CHECK(tapped.byte_sum == static_cast<uint16_t>(mtkfw::add_bytes(image.data(), image.size()) & 0xFFFF));
    return 0;
}
