# The 32 bytes a phone keeps at misc + 2048 to say which A/B slot boots, built from the layouts'
# sources (MediaTek bootctrl.h, AOSP libavb_ab avb_ab_flow.h; see common/format/boot_ctrl.h for
# the citations), never from mtkfw's reader.  The CRC32 is Python's zlib, not ours.
#
#   ab-block.py mtk PRIO_A RETRY_A OK_A PRIO_B RETRY_B OK_B [--magic 0xN] > block
#       MediaTek boot_ctrl: u32 LE magic 0x19191100, u8 version 1, slot_info[2] one byte each
#       (priority bits 0-2, retry_count 3-5, successful_boot 6, normal_boot 7), padded to 32 bytes
#   ab-block.py avb PRIO_A TRIES_A OK_A PRIO_B TRIES_B OK_B [--bad-crc] [--major N] > block
#       AOSP AvbABData: "\0AB0", major, minor 0, 2 reserved, 2 x (priority, tries, successful, 0),
#       12 reserved, CRC32 big-endian of the 28 bytes before it
import argparse, struct, sys, zlib

ap = argparse.ArgumentParser()
ap.add_argument("layout", choices=["mtk", "avb"])
ap.add_argument("slots", type=int, nargs=6)
ap.add_argument("--magic", type=lambda s: int(s, 0), default=0x19191100)
ap.add_argument("--bad-crc", action="store_true")
ap.add_argument("--major", type=int, default=1)
a = ap.parse_args()
pa, ta, oa, pb, tb, ob = a.slots

if a.layout == "mtk":
    def info(p, r, ok):
        return (p & 7) | (r & 7) << 3 | (1 if ok else 0) << 6
    block = struct.pack("<IBBBB", a.magic, 1, info(pa, ta, oa), info(pb, tb, ob), 0)
else:
    body = b"\0AB0" + bytes([a.major, 0, 0, 0, pa, ta, oa, 0, pb, tb, ob, 0]) + bytes(12)
    crc = zlib.crc32(body) ^ (0xFFFFFFFF if a.bad_crc else 0)
    block = body + struct.pack(">I", crc)
sys.stdout.buffer.write(block.ljust(32, b"\0"))
