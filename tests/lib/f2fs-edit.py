# f2fs-edit.py IMG EDIT...: damages an f2fs image on purpose, so that a test reaches the check it
# aims at (offsets: the kernel's include/linux/f2fs_fs.h, as doc/FORMATS.md lists them):
#   sb-u32 OFFSET VALUE  both superblock copies get the u32 VALUE at OFFSET (of the superblock),
#                        their CRC recomputed when sb_checksum is on (else a CRC error comes first)
#   sb-or  OFFSET BITS   the same, the u32 ORed with BITS
#   sit-overcount        every SIT entry (both copies) of a free main segment counts 1 valid
#                        block its empty bitmap does not hold
import struct, sys, zlib

img = sys.argv[1]
f = open(img, 'r+b')
BS, SB = 4096, 1024

def u32(block, at):
    f.seek(block * BS + SB + at)
    return struct.unpack('<I', f.read(4))[0]

def f2fs_crc(data):  # f2fs_crc32: seed F2FS_SUPER_MAGIC, no final inversion
    return ~zlib.crc32(data, ~0xF2F52010 & 0xFFFFFFFF) & 0xFFFFFFFF

def sb_put(at, value):
    for block in (0, 1):
        f.seek(block * BS + SB + at)
        f.write(struct.pack('<I', value & 0xFFFFFFFF))
        if u32(block, 0x884) & 0x800:  # sb_checksum: crc at checksum_offset
            off = u32(block, 0x20)
            f.seek(block * BS + SB)
            data = f.read(off)
            f.seek(block * BS + SB + off)
            f.write(struct.pack('<I', f2fs_crc(data)))

args = sys.argv[2:]
while args:
    op = args.pop(0)
    if op == 'sb-u32':
        sb_put(int(args.pop(0), 0), int(args.pop(0), 0))
    elif op == 'sb-or':
        at = int(args.pop(0), 0)
        sb_put(at, u32(0, at) | int(args.pop(0), 0))
    elif op == 'sit-overcount':
        sit, sit_segs, main_segs = u32(0, 0x50), u32(0, 0x38), u32(0, 0x44)
        per_copy = sit_segs // 2 * 512
        n = 0
        for copy in (0, 1):
            for segno in range(main_segs):
                at = (sit + copy * per_copy + segno // 55) * BS + segno % 55 * 74
                f.seek(at)
                vblocks = struct.unpack('<H', f.read(2))[0]
                if vblocks & 0x3FF == 0:
                    f.seek(at)
                    f.write(struct.pack('<H', vblocks | 1))
                    n += 1
        if n == 0:
            sys.exit('f2fs-edit: no free segment to damage')
    else:
        sys.exit('f2fs-edit: unknown edit ' + op)
