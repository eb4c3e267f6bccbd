#!/usr/bin/env python3
"""lp-edit.py: rewrite fields of the LP metadata of a raw super image in place and recompute its
SHA-256s, so a test can make one lie at a time (only the check under test can catch it).

usage: lp-edit.py SUPER [--offset BYTES] [--slot N|all] [--copy primary|backup|all] OP [OP ...]
  OPs (applied in order to every chosen copy of every chosen slot):
    remove NAME                 drop partition NAME from the partition table (its extents stay
                                in the extent table, unused: what an OTA leaves)
    partition NAME FIELD=VALUE  attributes first_extent_index num_extents group_index
    extent INDEX FIELD=VALUE    num_sectors target_type target_data target_source
    group INDEX FIELD=VALUE     flags maximum_size
    device INDEX FIELD=VALUE    first_logical_sector size flags
    header FIELD=VALUE          tables_size flags and TABLE.offset TABLE.num_entries
                                TABLE.entry_size (TABLE: partitions extents groups block_devices),
                                set after the tables are written: the header's SHA-256 covers
                                the lie, the tables' does not change
    geometry FIELD=VALUE        metadata_max_size metadata_slot_count logical_block_size
                                (--copy chooses the primary and/or backup geometry)
Layout: MODERN.md 2.2 (AOSP liblp metadata_format.h).  Values: decimal or 0x hex.
"""
import hashlib
import struct
import sys

GEOMETRY = 0x1000
BACKUP_GEOMETRY = 0x2000
METADATA = 0x3000
TABLES = ["partitions", "extents", "groups", "block_devices"]
DESC_AT = {"partitions": 80, "extents": 92, "groups": 104, "block_devices": 116}
FIELDS = {  # table: {field: (offset, struct format)}
    "partitions": {"attributes": (36, "<I"), "first_extent_index": (40, "<I"), "num_extents": (44, "<I"),
                   "group_index": (48, "<I")},
    "extents": {"num_sectors": (0, "<Q"), "target_type": (8, "<I"), "target_data": (12, "<Q"),
                "target_source": (20, "<I")},
    "groups": {"flags": (36, "<I"), "maximum_size": (40, "<Q")},
    "block_devices": {"first_logical_sector": (0, "<Q"), "size": (16, "<Q"), "flags": (60, "<I")},
}
GEOMETRY_FIELDS = {"metadata_max_size": 40, "metadata_slot_count": 44, "logical_block_size": 48}
HEADER_FIELDS = {"tables_size": (44, "<I"), "flags": (128, "<I")}


def die(msg):
    sys.stderr.write("lp-edit.py: " + msg + "\n")
    sys.exit(2)


def num(s):
    return int(s, 0)


def assignment(s):
    if "=" not in s:
        die("expected FIELD=VALUE, got " + s)
    k, v = s.split("=", 1)
    return k, num(v)


def geometry_sum(g):
    return hashlib.sha256(g[:8] + bytes(32) + g[40:52]).digest()


def edit_copy(buf, ops):
    hs = struct.unpack_from("<I", buf, 8)[0]
    header = bytearray(buf[:hs])
    tables_size = struct.unpack_from("<I", header, 44)[0]
    tables = buf[hs:hs + tables_size]
    entries = {}
    sizes = {}
    for t in TABLES:
        off, n, size = struct.unpack_from("<III", header, DESC_AT[t])
        sizes[t] = size
        entries[t] = [bytearray(tables[off + i * size:off + (i + 1) * size]) for i in range(n)]
    header_sets = []
    for op in ops:
        kind = op[0]
        if kind == "remove":
            names = [e[:36].rstrip(b"\0").decode() for e in entries["partitions"]]
            if op[1] not in names:
                die("no partition " + op[1])
            del entries["partitions"][names.index(op[1])]
        elif kind in ("partition", "extent", "group", "device"):
            table = {"partition": "partitions", "extent": "extents", "group": "groups",
                     "device": "block_devices"}[kind]
            if kind == "partition":
                names = [e[:36].rstrip(b"\0").decode() for e in entries[table]]
                if op[1] not in names:
                    die("no partition " + op[1])
                entry = entries[table][names.index(op[1])]
            else:
                entry = entries[table][num(op[1])]
            field, value = assignment(op[2])
            at, fmt = FIELDS[table][field]
            struct.pack_into(fmt, entry, at, value)
        elif kind == "header":
            header_sets.append(assignment(op[1]))
    # The tables again, in their order, then the header's descriptors and sums.
    out = b""
    for t in TABLES:
        struct.pack_into("<III", header, DESC_AT[t], len(out), len(entries[t]), sizes[t])
        out += b"".join(entries[t])
    struct.pack_into("<I", header, 44, len(out))
    header[48:80] = hashlib.sha256(out).digest()
    for field, value in header_sets:
        if "." in field:
            t, part = field.split(".")
            at = DESC_AT[t] + {"offset": 0, "num_entries": 4, "entry_size": 8}[part]
            struct.pack_into("<I", header, at, value)
        else:
            at, fmt = HEADER_FIELDS[field]
            struct.pack_into(fmt, header, at, value)
    header[12:44] = bytes(32)
    header[12:44] = hashlib.sha256(bytes(header)).digest()
    new = bytes(header) + out
    if len(new) > len(buf):
        die("the edited metadata no longer fits its slot")
    return new + bytes(len(buf) - len(new))


def parse_ops(args):
    ops, i = [], 0
    arity = {"remove": 1, "partition": 2, "extent": 2, "group": 2, "device": 2, "header": 1, "geometry": 1}
    while i < len(args):
        k = args[i]
        if k not in arity:
            die("unknown operation " + k)
        ops.append([k] + args[i + 1:i + 1 + arity[k]])
        if len(ops[-1]) != arity[k] + 1:
            die(k + ": missing arguments")
        i += 1 + arity[k]
    return ops


def main(argv):
    args = argv[1:]
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0
    path, args = args[0], args[1:]
    offset, slot, copy = 0, "all", "all"
    while args and args[0].startswith("--"):
        opt, val = args[0], args[1]
        args = args[2:]
        if opt == "--offset":
            offset = num(val)
        elif opt == "--slot":
            slot = val
        elif opt == "--copy":
            copy = val
        else:
            die("unknown option " + opt)
    ops = parse_ops(args)
    with open(path, "r+b") as f:
        f.seek(offset + GEOMETRY)
        g = f.read(4096)
        max_size, slots = struct.unpack_from("<II", g, 40)
        geometry_ops = [o for o in ops if o[0] == "geometry"]
        metadata_ops = [o for o in ops if o[0] != "geometry"]
        if geometry_ops:
            for at in ([GEOMETRY] if copy == "primary" else [BACKUP_GEOMETRY] if copy == "backup"
                       else [GEOMETRY, BACKUP_GEOMETRY]):
                f.seek(offset + at)
                geo = bytearray(f.read(4096))
                for o in geometry_ops:
                    field, value = assignment(o[1])
                    struct.pack_into("<I", geo, GEOMETRY_FIELDS[field], value)
                geo[8:40] = geometry_sum(bytes(geo))
                f.seek(offset + at)
                f.write(geo)
        if metadata_ops:
            chosen = range(slots) if slot == "all" else [int(slot)]
            for s in chosen:
                for backup in ([False] if copy == "primary" else [True] if copy == "backup" else [False, True]):
                    at = offset + METADATA + ((slots if backup else 0) + s) * max_size
                    f.seek(at)
                    buf = f.read(max_size)
                    f.seek(at)
                    f.write(edit_copy(buf, metadata_ops))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
