"""Writes zip64_full.npz: an npz whose every size and offset goes through ZIP64 records (APPNOTE
6.3 §4.3.14-4.3.16, §4.5.3): local and central sizes saturated to 0xFFFFFFFF with a tag-1 extra
field, the end record saturated, a ZIP64 end record and locator. Members: a.npy (stored,
arange(4) as <f8) and b.npy (deflated, [[1, 2, 3], [4, 5, 6]] as <i4). Python's zipfile and
numpy read it; RegressionResourceBoundsTests mutates it. Also copied to Fuzz/corpus/npz/.
Run from this folder: python3 make_zip64.py"""
import io, struct, zipfile, zlib
import numpy as np

def npy(a):
    b = io.BytesIO(); np.save(b, a); return b.getvalue()

members = [("a.npy", npy(np.arange(4, dtype="<f8")), 0),
           ("b.npy", npy(np.array([[1, 2, 3], [4, 5, 6]], dtype="<i4")), 8)]
out, central = bytearray(), bytearray()
for name, data, method in members:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    stored = data if method == 0 else deflate.compress(data) + deflate.flush()
    crc, offset, raw = zlib.crc32(data), len(out), name.encode()
    local_extra = struct.pack("<HHQQ", 1, 16, len(data), len(stored))
    out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, method, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                       len(raw), len(local_extra)) + raw + local_extra + stored
    central_extra = struct.pack("<HHQQQ", 1, 24, len(data), len(stored), offset)
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0x21, crc, 0xFFFFFFFF,
                           0xFFFFFFFF, len(raw), len(central_extra), 0, 0, 0, 0, 0xFFFFFFFF) + raw + central_extra
directory_offset = len(out)
out += central
record_offset = len(out)
out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(members), len(members), len(central), directory_offset)
out += struct.pack("<IIQI", 0x07064B50, 0, record_offset, 1)
out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
open("zip64_full.npz", "wb").write(out)

with zipfile.ZipFile("zip64_full.npz") as z:
    assert z.testzip() is None and z.namelist() == ["a.npy", "b.npy"]
loaded = np.load("zip64_full.npz")
assert loaded["a"].tolist() == [0, 1, 2, 3] and loaded["b"].tolist() == [[1, 2, 3], [4, 5, 6]]
