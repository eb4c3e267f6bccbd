// Fuzzes the ext2/3/4 file lookup (ops/ext4_file.h: directories, extent trees, block maps) the
// pipeline uses to read build.prop out of a system partition, and the property reader
// (format/build_prop.h).  Checked: a file that is read is no longer than asked.
// The input is the image, grown with zeros (a hole) to the size its superblock declares, 1 MiB
// at most: seeds of multi-group file systems are cut after their last used block.
#include "format/build_prop.h"
#include "fuzz_support.h"
#include "ops/ext4_file.h"
#include "ops/ext4_volume.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::MemFile file(data, size, fuzz::ext4_declared_size(data, size, 1u << 20));
    const mtkfw::Input in = mtkfw::Input::open(file.path());
    fuzz::accepts([&] {
        const mtkfw::ext4::Volume volume = mtkfw::ext4::Volume::open(in, 0, in.size());
        for (const char* path : {"/build.prop", "/system/build.prop", "/a/b/c", "/", "//build.prop", "/lost+found"}) {
            const std::optional<std::string> text = mtkfw::ext4::read_file(volume, path, 4096);
            if (text) {
                FUZZ_CHECK(text->size() <= 4096);
                mtkfw::build_prop::value(*text, "ro.mediatek.platform");
                mtkfw::build_prop::value(*text, "ro.board.platform");
            }
        }
    });
    mtkfw::build_prop::value(fuzz::text_of(data, size), "ro.board.platform");
    return 0;
}
