// A test-only reader of files inside a file system image, through the library's read_fs_file /
// list_fs_dir / read_vendor_fstab (ops/fs_file.h), so tests/erofs.bats can compare what mtkfw
// reads with the files mkfs.erofs was given, byte for byte.  Not installed.
//   fs-cat IMAGE PATH         the file's bytes on stdout (at most 64 MiB)
//   fs-cat --ls IMAGE DIR     the directory's names, one a line, sorted
//   fs-cat --fstab IMAGE      the first /etc/fstab.*: its path, a blank line, its text
// Exit 0; 2 when there is no such file or directory (or no file system we read); 1 with the
// Failure's text on stderr.
#include <cstdio>
#include <cstring>
#include <string>

#include "base/failure.h"
#include "io/input.h"
#include "io/region.h"
#include "ops/fs_file.h"

int main(int argc, char** argv) {
    const bool ls = argc == 4 && std::strcmp(argv[1], "--ls") == 0;
    const bool fstab = argc == 3 && std::strcmp(argv[1], "--fstab") == 0;
    if (!ls && !fstab && argc != 3) {
        std::fprintf(stderr, "usage: fs-cat [--ls] IMAGE PATH | fs-cat --fstab IMAGE\n");
        return 64;
    }
    try {
        const mtkfw::Input in = mtkfw::Input::open(argv[ls || fstab ? 2 : 1]);
        const mtkfw::Region fs(in, 0, in.size());
        if (ls) {
            const auto names = mtkfw::list_fs_dir(fs, argv[3]);
            if (!names) return 2;
            for (const std::string& n : *names) std::printf("%s\n", n.c_str());
        } else if (fstab) {
            const auto f = mtkfw::read_vendor_fstab(fs, 1 << 20);
            if (!f) return 2;
            std::printf("%s\n\n", f->path.c_str());
            std::fwrite(f->text.data(), 1, f->text.size(), stdout);
        } else {
            const auto text = mtkfw::read_fs_file(fs, argv[2], 64u << 20);
            if (!text) return 2;
            std::fwrite(text->data(), 1, text->size(), stdout);
        }
    } catch (const mtkfw::Failure& f) {
        std::fprintf(stderr, "fs-cat: %s\n", f.what());
        return 1;
    }
    return 0;
}
