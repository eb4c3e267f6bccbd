# boot1_image (bl-strip.bash) builds a synthetic BOOT1 readback and its preloader: usage there.
import argparse, hashlib, random, struct, sys

ap = argparse.ArgumentParser()
ap.add_argument("boot1"); ap.add_argument("preloader")
ap.add_argument("--storage", default="emmc")
ap.add_argument("--no-brlyt", action="store_true")
ap.add_argument("--gfh-offset", type=lambda s: int(s, 0))
ap.add_argument("--brlyt-at", type=lambda s: int(s, 0), default=0x200)
ap.add_argument("--body", type=lambda s: int(s, 0), default=20000)
ap.add_argument("--tail-ff", type=lambda s: int(s, 0), default=0)
ap.add_argument("--sig-type", type=int, default=1)
ap.add_argument("--name", default="preloader_mtkfw_test.bin")
ap.add_argument("--emi-version", type=int, default=20)
ap.add_argument("--gap", type=int, default=0)
ap.add_argument("--size", type=lambda s: int(s, 0))
ap.add_argument("--ff-to", type=lambda s: int(s, 0))
ap.add_argument("--bad-hash", action="store_true")
ap.add_argument("--file-len", type=lambda s: int(s, 0))
ap.add_argument("--break-chain", action="store_true")
ap.add_argument("--build-path", action="append", default=[])
a = ap.parse_args()

# storage: device header id, header block size (u32 at 0x10), default GFH offset, GFH flash_dev
STORAGE = {"emmc": (b"EMMC_BOOT", 0x200, 0x800, 5), "sdmmc": (b"SDMMC_BOOT", 0x200, 0x800, 5),
           "ufs": (b"UFS_BOOT", 0x1000, 0x1000, 12), "combo": (b"COMBO_BOOT", 0x1000, 0x1000, 14),
           "raw": (None, 0, 0, 5)}
dev_id, block, default_off, flash_dev = STORAGE[a.storage]
gfh_off = a.gfh_offset if a.gfh_offset is not None else default_off
rng = random.Random(a.body * 31 + a.sig_type)

def block_hdr(size, typ):          # GFH block header: "MMM", version 1, u16 size, u16 type
    return b"MMM\x01" + struct.pack("<HH", size, typ)

# GFH blocks after FILE_INFO: BL_INFO (type 1), ANTI_CLONE (type 2), BROM_SEC_CFG (type 8)
blocks = [block_hdr(0x0C, 1) + struct.pack("<I", 1),
          block_hdr(0x14, 2) + bytes(12),
          block_hdr(0x30, 8) + bytes(0x28)]
content_offset = 0x38 + sum(len(b) for b in blocks) + a.gap
sig_len = {0: 0, 1: 32, 3: 292, 5: 0x66C}[a.sig_type]

code = bytearray(rng.getrandbits(8) for _ in range(a.body))
at = 100                           # __FILE__ strings, NUL-terminated, as a compiler leaves them
for p in a.build_path:
    s = p.encode() + b"\0"
    code[at:at + len(s)] = s
    at += len(s) + 50
code = bytes(code[:a.body]) + b"\xff" * a.tail_ff
emi = b""
if a.name:
    emi_block = (b"MTK_BLOADER_INFO_v%02d" % a.emi_version).ljust(0x1B, b"\0") + a.name.encode()
    emi_block = emi_block.ljust(0x100, b"\0")
    emi = emi_block + struct.pack("<I", len(emi_block))
file_len = content_offset + len(code) + len(emi) + sig_len
max_size = max(0x40000, file_len)

def file_info(file_len, max_size):
    return (block_hdr(0x38, 0) + b"FILE_INFO\0\0\0" +
            struct.pack("<IHBBIIIIIII", 1, 1, flash_dev, a.sig_type, 0x201000, file_len, max_size,
                        content_offset, sig_len, content_offset, 1))

body = file_info(file_len, max_size) + b"".join(blocks) + bytes(a.gap) + code + emi
assert len(body) == file_len - sig_len
digest = hashlib.sha256(body).digest()
if a.sig_type == 1:
    sig = digest
elif a.sig_type == 3:
    sig = struct.pack("<I", 1) + digest + bytes(rng.getrandbits(8) for _ in range(256))
else:
    sig = bytes(rng.getrandbits(8) for _ in range(sig_len))
image = bytearray(body + sig)
if a.bad_hash:
    image[content_offset + 1] ^= 0x55
if a.file_len is not None:
    image[0:0x38] = file_info(a.file_len, max(max_size, a.file_len))
if a.break_chain:
    image[0x38 + 4:0x38 + 6] = struct.pack("<H", content_offset)

with open(a.preloader, "wb") as f:
    f.write(image)

if dev_id is None:
    out = bytearray(image)
else:
    out = bytearray(b"\xff" * gfh_off)
    out[0:0x14] = dev_id.ljust(12, b"\0") + struct.pack("<II", 1, block)
    if not a.no_brlyt:
        end = -(-(gfh_off + len(image)) // 0x200) * 0x200        # boot region end, 512-aligned
        brlyt = b"BRLYT\0\0\0" + struct.pack("<III", 1, gfh_off, end)
        brlyt += b"BBBB" + struct.pack("<HHIII", flash_dev, 1, gfh_off, end, 1) + bytes(7 * 20)
        out[a.brlyt_at:a.brlyt_at + len(brlyt)] = brlyt
    out += image
size = a.size if a.size is not None else (len(out) if dev_id is None else 4 << 20)
ff_to = a.ff_to if a.ff_to is not None else gfh_off + 0x40000
if len(out) < min(ff_to, size):
    out += b"\xff" * (min(ff_to, size) - len(out))
out += bytes(max(0, size - len(out)))
with open(a.boot1, "wb") as f:
    f.write(out[:size])
