# es_plan_image (ext4-sparse.bash): a sparse image with one DONT_CARE run: usage there.
import struct, sys
img, out, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
bs = 4096
data = open(img, 'rb').read()
total = len(data) // bs
chunks = []
def raw(a, b):  # blocks [a, b)
    if b > a:
        chunks.append(struct.pack('<HHII', 0xCAC1, 0, b - a, 12 + (b - a) * bs) + data[a * bs:b * bs])
raw(0, first)
chunks.append(struct.pack('<HHII', 0xCAC3, 0, last - first + 1, 12))
raw(last + 1, total)
header = struct.pack('<IHHHHIIII', 0xED26FF3A, 1, 0, 28, 12, bs, total, len(chunks), 0)
open(out, 'wb').write(header + b''.join(chunks))
