# lp-extents.py LPDUMP_TEXT NAME: partition NAME's logical 4096-byte blocks mapped to physical
# 4096-byte blocks of super, from lpdump's own text (slot 0), never from our reader.  Reads
# "first last" logical block ranges on stdin, prints "first last" physical block ranges (each
# cut where an extent ends).  (Unallocated space: tests/lib/lp-layout SUPER unallocated.)
import re, sys

text = open(sys.argv[1]).read().split('Slot 1:')[0]
name = sys.argv[2]
B = 4096 // 512  # sectors a block

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
