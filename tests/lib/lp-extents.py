# lp-extents.py LPDUMP_TEXT NAME: partition NAME's logical 4096-byte blocks mapped to physical
# 4096-byte blocks of super, from lpdump's own text (slot 0), never from our reader.  Reads
# "first last" logical block ranges on stdin, prints "first last" physical block ranges (each
# cut where an extent ends).  With NAME "-", prints super's unallocated block ranges instead:
# every 4096-byte block from lpdump's "First sector" on that no extent of the layout touches.
import re, sys

text = open(sys.argv[1]).read().split('Slot 1:')[0]
name = sys.argv[2]
B = 4096 // 512  # sectors a block

if name == '-':
    first = int(re.search(r'First sector: (\d+)', text).group(1))
    size = int(re.search(r'Size: (\d+) bytes', text).group(1))
    used = sorted((int(a), int(b)) for a, b in re.findall(r'^super: (\d+) \.\. (\d+):', text, re.M))
    at = first
    for a, b in used + [(size // 512, size // 512)]:
        # blocks wholly inside the free sectors [at, a)
        fb, lb = -(-at // B), a // B - 1
        if lb >= fb:
            print(fb, lb)
        at = max(at, b)
    sys.exit(0)

part = re.search(r'Name: ' + re.escape(name) + r'\n.*?Extents:\n((?:    [^\n]*\n)*)', text, re.S)
extents = []  # (logical first sector, last, physical first sector)
for a, b, p in re.findall(r'(\d+) \.\. (\d+) linear super (\d+)', part.group(1)):
    extents.append((int(a), int(b), int(p)))
for line in sys.stdin:
    lf, ll = (int(x) for x in line.split())
    for a, b, p in extents:
        s, e = max(lf * B, a), min((ll + 1) * B - 1, b)
        if s <= e:
            print((p + s - a) // B, (p + e - a + 1) // B - 1)
