# gpt_lie (bad-input.bash): one GPT field set to a lie, CRC32s recomputed: usage there.
import struct, sys, zlib
path, field, value = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
which = sys.argv[4] if len(sys.argv) > 4 else "both"
ss = 512
HDR = {"alternate_lba": (0x20, "<Q"), "first_usable": (0x28, "<Q"), "last_usable": (0x30, "<Q"),
       "entries_lba": (0x48, "<Q"), "entry_count": (0x50, "<I"), "entry_size": (0x54, "<I")}
with open(path, "r+b") as f:
    def header(lba):
        f.seek(lba * ss); return bytearray(f.read(ss))
    primary = header(1)
    assert primary[:8] == b"EFI PART"
    lbas = {"primary": [1], "backup": [struct.unpack_from("<Q", primary, 0x20)[0]]}
    lbas["both"] = lbas["primary"] + lbas["backup"]
    for lba in lbas[which]:
        h = header(lba)
        assert h[:8] == b"EFI PART", lba
        elba, count, esize = struct.unpack_from("<QII", h, 0x48)
        f.seek(elba * ss); entries = bytearray(f.read(count * esize))
        if field in HDR:
            off, fmt = HDR[field]
            struct.pack_into(fmt, h, off, value)
        else:
            n, what = field.split(".")
            struct.pack_into("<Q", entries, (int(n) - 1) * esize + (0x20 if what == "first" else 0x28), value)
            f.seek(elba * ss); f.write(entries)
        struct.pack_into("<I", h, 0x58, zlib.crc32(entries) & 0xffffffff)
        size = struct.unpack_from("<I", h, 0x0C)[0]
        struct.pack_into("<I", h, 0x10, 0)
        struct.pack_into("<I", h, 0x10, zlib.crc32(bytes(h[:size])) & 0xffffffff)
        f.seek(lba * ss); f.write(h)
