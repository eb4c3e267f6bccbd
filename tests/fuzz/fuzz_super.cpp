// Fuzzes the sparse super (ops/super_map.h through ops/sparse_encode.h, as ext4-sparse runs it):
// a super image (LP metadata, logical partitions of any content, ext4 among them) encoded from a
// file or a pipe, then the image proven against the same bytes by the pipeline's verifier with
// the same map (ops/sparse_verify.h): what we encode must pass our own verifier (every written
// block equal to the input, every used block written), and its chunks must add up.
//
// Input: byte 0 holds options, the rest is the super (padded with zeros to a 4096 multiple, as
// a super always is).
//   bit 0  read it through a pipe (every extent block kept; the verifier's map is the file's)
// Inputs without the geometry magic are left alone: the ext4 harnesses cover those.
#include "fuzz_support.h"
#include "io/output.h"
#include "ops/lp_super.h"
#include "ops/sparse_encode.h"
#include "ops/sparse_verify.h"
#include "ops/super_map.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    const uint8_t* image = data + 1;
    const size_t bytes = size - 1;
    const uint64_t padded = (bytes + 4095) / 4096 * 4096;

    fuzz::MemFile file(image, bytes, padded);
    const mtkfw::Input dump = mtkfw::Input::open(file.path());
    if (!mtkfw::lp::looks_like_super(dump, 0, dump.size())) return 0;

    mtkfw::Output out = mtkfw::Output::open(fuzz::scratch_output("fuzz_super"));
    mtkfw::Notices notices;
    mtkfw::EncodeReport report;
    const mtkfw::EncodeOptions options;
    if ((flags & 1) && padded > (1u << 20)) return 0;  // past a pipe's capacity: not this harness's case
    if (!fuzz::accepts_input(flags & 1, file, image, bytes, padded,
                             [&](mtkfw::Input& in) { report = mtkfw::encode_sparse(in, out, options, notices); })) {
        return 0;
    }
    FUZZ_CHECK(report.super);
    const mtkfw::sparse::Summary& s = report.sparse;
    FUZZ_CHECK(s.blk_sz == mtkfw::lp::kSuperBlockBytes);
    FUZZ_CHECK(s.raw_blocks + s.fill_blocks + s.dont_care_blocks == s.total_blocks);
    FUZZ_CHECK(s.total_blocks * s.blk_sz == dump.size());

    // The proof, with the map the verifier makes of the file (what ext4-sparse --verify does).
    mtkfw::Notices verify_notices;
    std::optional<mtkfw::lp::SuperMap> map = mtkfw::lp::SuperMap::detect(dump, 0, dump.size(), verify_notices);
    FUZZ_CHECK(map.has_value());
    mtkfw::Input sparse_in = mtkfw::Input::open(fuzz::fd_path(out.fd()));
    FUZZ_CHECK(fuzz::accepts(
        [&] { mtkfw::sparse::verify(sparse_in, dump, 0, dump.size(), map->used_range(), verify_notices); }));
    return 0;
}
