# f2fs-oracle.py IMG SPARSE: checks an f2fs sparse image against f2fs-tools' own view of IMG,
# not ours.  dump.f2fs -d 1 prints the superblock and checkpoint (main_blkaddr, the current
# segments); dump.f2fs -s 0~-1 writes dump_sit (in the current folder): every main segment's SIT
# entry as the tools read it (the journal applied), its valid map as hex bytes, MSB first.  The
# sparse image's chunks are read here from the format (AOSP sparse_format.h), then:
#  - every RAW/FILL block equals IMG's block;
#  - every valid block (dump_sit) and every block outside the main area is written (not DONT_CARE);
#  - every main-area block that is neither valid nor in a current segment is DONT_CARE;
# and prints "valid=N" (dump.f2fs's valid-block count) on success.  Exit 1 with the reason on stderr.
import os, re, struct, subprocess, sys, tempfile

img, simg = sys.argv[1], sys.argv[2]
BS = 4096

def fail(why):
    sys.stderr.write('f2fs-oracle: ' + why + '\n')
    sys.exit(1)

info = subprocess.run(['dump.f2fs', '-d', '1', img], capture_output=True, text=True).stdout
def field(name):
    m = re.search(r'^' + re.escape(name) + r'\s+\[0x\s*[0-9a-f]+ : (\d+)\]', info, re.M)
    if not m: fail('dump.f2fs printed no ' + name)
    return int(m.group(1))
main = field('main_blkaddr')
main_segs = field('segment_count_main')
main_end = main + main_segs * 512
current = {field('cur_node_segno[%d]' % i) for i in range(3)} | {field('cur_data_segno[%d]' % i) for i in range(3)}

with tempfile.TemporaryDirectory() as d:
    subprocess.run(['dump.f2fs', '-s', '0~-1', os.path.abspath(img)], cwd=d, capture_output=True, check=True)
    sit = open(os.path.join(d, 'dump_sit')).read()
valid = set()
for m in re.finditer(r'segno:\s*(\d+)\s+vblocks:\s*(\d+)[^\n]*\n((?:\s*\n)?(?:(?:\s+[0-9a-f]{2})+\s*\n)*)', sit):
    segno, count = int(m.group(1)), int(m.group(2))
    bits = bytes(int(x, 16) for x in m.group(3).split())
    got = 0
    for i, byte in enumerate(bits):
        for j in range(8):
            if byte >> (7 - j) & 1:
                valid.add(main + segno * 512 + i * 8 + j)
                got += 1
    if got != count: fail('dump_sit segment %d: vblocks %d, map %d' % (segno, count, got))

# The sparse image's chunks: (first block, count, type, payload offset or fill value).
s = open(simg, 'rb')
magic, major, minor, fhdr, chdr, blk_sz, total, nchunks, _ = struct.unpack('<IHHHHIIII', s.read(28))
if magic != 0xED26FF3A or blk_sz != BS: fail('not a 4096-byte-block sparse image')
size = os.path.getsize(img)
if total * BS != size // BS * BS: fail('covers %d blocks, the image has %d' % (total, size // BS))
src = open(img, 'rb')
s.seek(fhdr)
block = 0
written = bytearray((total + 7) // 8)
for _ in range(nchunks):
    at = s.tell()
    ctype, _, count, tot = struct.unpack('<HHII', s.read(12))
    s.seek(at + chdr)
    if ctype == 0xCAC1:
        for k in range(count):
            src.seek((block + k) * BS)
            if s.read(BS) != src.read(BS): fail('RAW block %d differs from the image' % (block + k))
    elif ctype == 0xCAC2:
        pattern = s.read(4) * (BS // 4)
        for k in range(count):
            src.seek((block + k) * BS)
            if src.read(BS) != pattern: fail('FILL block %d differs from the image' % (block + k))
    elif ctype != 0xCAC3:
        fail('chunk type %x' % ctype)
    if ctype != 0xCAC3:
        for b in range(block, block + count): written[b >> 3] |= 1 << (b & 7)
    s.seek(at + tot)
    block += count
if block != total: fail('chunks cover %d blocks of %d' % (block, total))
is_written = lambda b: written[b >> 3] >> (b & 7) & 1
for b in valid:
    if not is_written(b): fail('valid block %d (dump.f2fs) is DONT_CARE' % b)
for b in list(range(0, main)) + list(range(main_end, total)):
    if not is_written(b): fail('block %d outside the main area is DONT_CARE' % b)
for b in range(main, main_end):
    if is_written(b) and b not in valid and (b - main) // 512 not in current:
        fail('invalid main-area block %d (segment %d) is written' % (b, (b - main) // 512))
print('valid=%d' % len(valid))
