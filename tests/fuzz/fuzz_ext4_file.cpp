// Fuzzes the ext2/3/4 file lookup (common/ext4_file.h: directories, extent trees, block maps) the
// pipeline uses to read build.prop out of a system partition, and the property reader.
// Checked: a file that is read is no longer than asked.
#include "ops/ext4.h"
#include "ops/ext4_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::MemFile file(data, size);
    const mtkfw::Input in = mtkfw::Input::open(file.path());
    fuzz::accepts([&] {
        const mtkfw::ext4::Volume volume = mtkfw::ext4::Volume::open(in, 0, in.size());
        for (const char* path : {"/build.prop", "/system/build.prop", "/a/b/c", "/", "//build.prop", "/lost+found"}) {
            std::string why;
            const std::optional<std::string> text = mtkfw::ext4::read_file(volume, path, 4096, &why);
            if (text) {
                FUZZ_CHECK(text->size() <= 4096);
                mtkfw::ext4::property(*text, "ro.mediatek.platform");
                mtkfw::ext4::property(*text, "ro.board.platform");
            } else {
                FUZZ_CHECK(!why.empty());
            }
        }
    });
    mtkfw::ext4::property(fuzz::text_of(data, size), "ro.board.platform");
    return 0;
}
