#!/usr/bin/env python3
"""Draws the extension's icon (images/icon.png, 128x128): a shield split into compartments, as a ship's
bulkheads split a hull, on a rounded navy square. Pure Python (zlib + struct), so it needs no image library:

    python3 editors/vscode/scripts/icon.py editors/vscode/images/icon.png
"""
import struct
import sys
import zlib

SIZE = 128
SAMPLES = 4  # per axis, for anti-aliased edges
NAVY = (27, 42, 65)
WHITE = (244, 247, 250)
TEAL = (38, 166, 154)


def in_rounded_square(x, y):
    r = 22
    cx = min(max(x, r), SIZE - r)
    cy = min(max(y, r), SIZE - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_shield(x, y):
    # Flat top at y=24, straight sides down to y=64, then curving in to a point at y=108.
    left, right, top, waist, tip = 30, 98, 24, 64, 108
    if y < top or y > tip:
        return False
    if y <= waist:
        return left <= x <= right
    t = (y - waist) / (tip - waist)
    half = (right - left) / 2 * (1 - t * t)
    mid = (left + right) / 2
    return mid - half <= x <= mid + half


def colour(x, y):
    if not in_rounded_square(x, y):
        return None
    if in_shield(x, y):
        # Two bulkheads: vertical bars splitting the shield into three compartments.
        if 51 <= x <= 55 or 73 <= x <= 77:
            return TEAL
        return WHITE
    return NAVY


def pixel(px, py):
    hits = []
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            c = colour(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)
            if c is not None:
                hits.append(c)
    n = SAMPLES * SAMPLES
    if not hits:
        return (0, 0, 0, 0)
    rgb = tuple(round(sum(c[i] for c in hits) / len(hits)) for i in range(3))
    return rgb + (round(255 * len(hits) / n),)


def png(path):
    rows = bytearray()
    for y in range(SIZE):
        rows.append(0)  # filter: none
        for x in range(SIZE):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    data += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    png(sys.argv[1] if len(sys.argv) > 1 else "images/icon.png")
