# stock-readback-preloader.py BOOT1 STORAGE NAME PLATFORM: a BOOT1 (eMMC) or LU0 (UFS) readback
# holding a GFH preloader named NAME whose body carries MediaTek's build path for PLATFORM.
#
# The image itself is boot1-image.py's (the dumps helper's builder of the EMMC_BOOT / UFS_BOOT
# header, BRLYT, GFH FILE_INFO, MTK_BLOADER_INFO and signature): this only writes the build path
# into its code and recomputes the SHA-256 signature (sig_type 1), so that bl-strip can read the
# platform the way it reads a real one.  Real preloaders carry such paths as plain strings, e.g.
# ../shared/reference/preloader/preloader_hs03s.bin:
#   /home/.../bootloader/preloader/platform/mt6765/src/core/download.c
import hashlib, os, struct, subprocess, sys, tempfile

boot1, storage, name, platform = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
# boot1-image.py's GFH offset in the boot area per storage (its STORAGE table: EMMC_BOOT 0x800,
# UFS_BOOT 0x1000).
gfh_at = {"emmc": 0x800, "ufs": 0x1000}[storage]
path = ("/home/builder/alps/vendor/mediatek/proprietary/bootable/bootloader/preloader/platform/%s"
        "/src/core/download.c" % platform.lower()).encode() + b"\0"

with tempfile.TemporaryDirectory() as tmp:
    pre = os.path.join(tmp, "preloader.bin")
    subprocess.run([sys.executable, os.path.join(here, "boot1-image.py"), boot1, pre,
                    "--storage", storage, "--name", name, "--sig-type", "1"], check=True)
    image = bytearray(open(pre, "rb").read())

# FILE_INFO (FORMATS.md, "Preloader in BOOT1"): file_len at 0x20, content_offset at 0x28,
# sig_len at 0x2C; the signature (sig_type 1) is the SHA-256 of the file_len - sig_len bytes
# before it.
file_len, = struct.unpack_from("<I", image, 0x20)
content, sig_len = struct.unpack_from("<II", image, 0x28)
at = content + 0x400
assert sig_len == 32 and at + len(path) < file_len - sig_len - 0x200, "body too small for the path"
image[at:at + len(path)] = path
image[file_len - sig_len:file_len] = hashlib.sha256(image[:file_len - sig_len]).digest()

with open(boot1, "r+b") as f:
    f.seek(gfh_at)
    f.write(image)
