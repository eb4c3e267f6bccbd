// Fuzzes the erofs reader (format/erofs.h, ops/erofs_file.h: superblock, inodes, directories,
// flat, inline, chunk-based and lz4-compressed data) the platform and fstab readers use, and
// read_fs_file / list_fs_dir / read_vendor_fstab (ops/fs_file.h) over it, and the fstab reader
// (format/fstab.h) over the fstab it finds.  Checked: a file read
// is no longer than asked, and read_fs_file gives what erofs::read_file gives.
// The input is the image, grown with zeros (a hole) to the size its superblock declares, 1 MiB
// at most.
#include "format/fstab.h"
#include "fuzz_support.h"
#include "io/region.h"
#include "ops/erofs_file.h"
#include "ops/fs_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    constexpr size_t kMax = 64 * 1024;
    fuzz::MemFile file(data, size, fuzz::erofs_declared_size(data, size, 1u << 20));
    const mtkfw::Input in = mtkfw::Input::open(file.path());
    const mtkfw::Region fs(in, 0, in.size());
    for (const char* path : {"/build.prop", "/etc/fstab.mt6833", "/etc/comp", "/etc/big", "/a/b/c", "/", "//etc//tiny"}) {
        std::optional<std::string> text;
        if (fuzz::accepts([&] { text = mtkfw::erofs::read_file(fs, path, kMax); }) && text) {
            FUZZ_CHECK(text->size() <= kMax);
            std::optional<std::string> again;
            fuzz::accepts([&] { again = mtkfw::read_fs_file(fs, path, kMax); });
            // read_fs_file goes to erofs only when the content check says erofs; then it agrees.
            FUZZ_CHECK(!again || *again == *text);
        }
    }
    fuzz::accepts([&] { mtkfw::erofs::list_dir(fs, "/etc"); });
    std::optional<mtkfw::FsFile> fstab;
    fuzz::accepts([&] { fstab = mtkfw::read_vendor_fstab(fs, 4096); });
    // The fstab reader (format/fstab.h) on whatever text came out: a key partition it names is a
    // plain name (no '/').
    if (fstab) {
        const mtkfw::fstab::UserdataKey key = mtkfw::fstab::userdata_key(mtkfw::fstab::parse(fstab->text));
        FUZZ_CHECK(key.key_partition.find('/') == std::string::npos);
        FUZZ_CHECK(key.key_partition.empty() || !key.encryption.empty());
    }
    return 0;
}
