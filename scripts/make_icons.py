"""Draw the diary's app icons (a white page of text on indigo) as PNG files, with no image library.

    python scripts/make_icons.py overrides/assets/paper-diary/icons

Writes icon-512.png, icon-192.png (the web app manifest) and apple-touch-icon.png (180 px, iOS home screen).
The drawing keeps inside the central 80 % so the icons are also valid "maskable" icons.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

INDIGO = (0x40, 0x51, 0xB5)  # Material's indigo primary, as the site's header
WHITE = (0xFF, 0xFF, 0xFF)
AMBER = (0xFF, 0xC1, 0x07)


def shape(x: float, y: float) -> tuple[int, int, int]:
    """The colour at (x, y) in the unit square."""
    page = 0.30 <= x <= 0.70 and 0.22 <= y <= 0.78
    if page:
        if 0.60 <= x <= 0.66 and y <= 0.40 and not (y > 0.34 and abs(x - 0.63) < (y - 0.34)):
            return AMBER  # a bookmark ribbon with a notched end
        for top in (0.42, 0.50, 0.58, 0.66):
            right = 0.62 if top != 0.66 else 0.52
            if top <= y <= top + 0.03 and 0.36 <= x <= right:
                return INDIGO  # lines of text
        return WHITE
    return INDIGO


def draw(size: int, samples: int = 3) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray([0])  # PNG filter: none
        for i in range(size):
            acc = [0, 0, 0]
            for sj in range(samples):
                for si in range(samples):
                    c = shape((i + (si + 0.5) / samples) / size, (j + (sj + 0.5) / samples) / size)
                    acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]
            row += bytes(round(v / samples**2) for v in acc)
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main(out: str) -> None:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in (("icon-512.png", 512), ("icon-192.png", 192), ("apple-touch-icon.png", 180)):
        (folder / name).write_bytes(draw(size))
        print(folder / name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "overrides/assets/paper-diary/icons")
