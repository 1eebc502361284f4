"""Extra fuzz seeds the test fixtures lack: npz archives with several dtypes, ZIP64 records and an
empty member; gzip members with every optional header field. Run from Fuzz/: python3 make_seeds.py"""
import gzip, io, struct, zipfile, zlib
import numpy as np

def npy(a):
    b = io.BytesIO(); np.save(b, a); return b.getvalue()

arrays = {"x": np.arange(6, dtype="<f4").reshape(2, 3), "n": np.array([1, -2], dtype="<i8"),
          "u": np.zeros((0, 3), dtype="|u1"), "s": np.float64(2.5)}
for name, compression in [("mixed_stored", zipfile.ZIP_STORED), ("mixed_deflated", zipfile.ZIP_DEFLATED)]:
    with open(f"corpus/npz/{name}.npz", "wb") as f:
        np.savez(f, **arrays) if compression == zipfile.ZIP_STORED else np.savez_compressed(f, **arrays)
with zipfile.ZipFile("corpus/npz/zip64.npz", "w", compression=zipfile.ZIP_DEFLATED) as z:
    with z.open("a.npy", "w", force_zip64=True) as m:
        m.write(npy(np.arange(4, dtype="<f8")))

def gzip_member(body, flags, extra=b"", name=b"", comment=b""):
    header = b"\x1f\x8b\x08" + bytes([flags]) + b"\x00\x00\x00\x00\x00\x03"
    if flags & 4: header += struct.pack("<H", len(extra)) + extra
    if flags & 8: header += name + b"\x00"
    if flags & 16: header += comment + b"\x00"
    if flags & 2: header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = c.compress(body) + c.flush()
    return header + deflated + struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF)

with open("corpus/gzip/all_fields.gz", "wb") as f:
    f.write(gzip_member(b"1,2,3\n4,5,6\n", 2 | 4 | 8 | 16, extra=b"AB\x02\x00hi", name=b"x.csv", comment=b"seed"))
with open("corpus/gzip/empty.gz", "wb") as f:
    f.write(gzip.compress(b"", mtime=0))
with open("corpus/csv/quoted_header.csv", "wb") as f:
    f.write(b'"a,b", c ,"d""e"\n# comment\n\n1e-3, -inf ,nan\r\n0x1p3,+7,.5\n')
