// Fuzzes the ext2/3/4 metadata reader (format/ext4.h, ops/ext4_volume.h: superblock, group
// descriptors incl. 64BIT and META_BG, block bitmaps, BLOCK_UNINIT groups) and the encoder of
// ext4-sparse on top of it (ops/sparse_encode.h), from a file or a pipe.  Checked: the bitmaps have a bit per block of
// their group, and whatever the encoder writes passes the pipeline's verifier (sparse_verify.h):
// it covers the input, every RAW/FILL block equals the input's, no used block is DONT_CARE
// (and an empty range holds no used block).
//
// Input: byte 0 holds options, the rest is the file system image.
//   bit 0  --all-blocks (any bytes, no file system)
//   bit 1  read the image through a pipe (one forward pass, look-ahead)
//   bit 2  the image goes on with zeros up to the size its superblock declares, 1 MiB at most
//          (seeds of multi-group file systems are cut after their last used block: small
//          inputs, whole file systems)
#include <optional>

#include "format/ext4.h"
#include "fuzz_support.h"
#include "io/output.h"
#include "ops/ext4_volume.h"
#include "ops/sparse_encode.h"
#include "ops/sparse_verify.h"

constexpr uint64_t kMaxGrow = 1u << 20;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    const uint64_t grow = (flags & 4) ? fuzz::ext4_declared_size(data + 1, size - 1, kMaxGrow) : 0;
    fuzz::MemFile file(data + 1, size - 1, grow);
    const mtkfw::Input in = mtkfw::Input::open(file.path());

    std::optional<mtkfw::ext4::Volume> volume;
    fuzz::accepts([&] { volume.emplace(mtkfw::ext4::Volume::open(in, 0, in.size())); });
    if (volume) {
        const mtkfw::ext4::Superblock& sb = volume->super();
        FUZZ_CHECK(sb.blocks_count * sb.block_size <= in.size());
        for (uint32_t g = 0; g < sb.group_count; ++g) {
            fuzz::accepts([&] {
                const std::vector<uint8_t> bits = volume->group_used(g);
                FUZZ_CHECK(bits.size() * 8 >= mtkfw::ext4::group_block_count(sb, g));
            });
        }
    }

    mtkfw::EncodeOptions options;
    options.all_blocks = flags & 1;
    options.scratch_folder = "/dev/shm";
    mtkfw::Notices notices;
    mtkfw::Output out = mtkfw::Output::open(fuzz::scratch_output("fuzz_ext4"));
    mtkfw::EncodeReport report;
    if (!fuzz::accepts_input(flags & 2, file, data + 1, size - 1, grow,
                             [&](mtkfw::Input& in) { report = mtkfw::encode_sparse(in, out, options, notices); })) {
        return 0;
    }
    // Only a file system the reader accepted can have been encoded as one.
    FUZZ_CHECK(options.all_blocks || volume);
    FUZZ_CHECK(report.partition_bytes <= in.size());
    mtkfw::Input image = mtkfw::Input::open(fuzz::fd_path(out.fd()));
    const mtkfw::sparse::UsedRange used =
        options.all_blocks ? mtkfw::sparse::UsedRange() : mtkfw::sparse::used_range(*volume);
    // A DONT_CARE chunk of 0 blocks skips nothing, wherever it lies (at byte 0 too).
    if (used) FUZZ_CHECK(!used(0, 0) && !used(report.partition_bytes, 0));
    mtkfw::Notices verify_notices;
    FUZZ_CHECK(fuzz::accepts([&] { mtkfw::sparse::verify(image, in, 0, report.partition_bytes, used, verify_notices); }));
    // The encoder writes nothing after its last chunk.
    FUZZ_CHECK(verify_notices.empty());
    return 0;
}
