#!/usr/bin/env python3
"""Checks a fltsim-view screenshot against the layout the view model reported.

usage: check_screenshot.py IMAGE.png LAYOUT.json [--size WxH]

Standard library only: a small PNG decoder (zlib + the five row filters) and json.
Checks, each a failure when it does not hold:
  * the PNG has the requested size (and the size the layout JSON states);
  * it is not blank: several distinct colours, no single colour covering almost everything;
  * every frame box, minifilter row, legacy block and the file system block that lies inside the
    stack canvas has its fill colour in its probe strip (a part the renderer fills with the box
    colour only), i.e. the pixels are where the model put the box;
  * every inversion connector is drawn in red along its vertical segment.
"""
import json
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, width, height, ctype = 8, [], 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace != 0:
                raise ValueError("unsupported PNG: depth %d, colour type %d" % (depth, ctype))
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 0xFF
            elif ftype == 2:
                line[x] = (line[x] + b) & 0xFF
            elif ftype == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, bpp, rows


class Image:
    def __init__(self, path):
        self.width, self.height, self.bpp, self.rows = read_png(path)

    def pixel(self, x, y):
        r = self.rows[y]
        o = x * self.bpp
        return r[o], r[o + 1], r[o + 2]


def close(p, q, tol):
    return all(abs(a - b) <= tol for a, b in zip(p, q))


def inside(rect, clip):
    x, y, w, h = rect
    cx, cy, cw, ch = clip
    return x >= cx and y >= cy and x + w <= cx + cw and y + h <= cy + ch


def probe_match(img, probe, fill, tol=6):
    x, y, w, h = probe
    total = hits = 0
    for py in range(int(y + 0.5), int(y + h)):
        for px in range(int(x + 0.5), int(x + w)):
            if 0 <= px < img.width and 0 <= py < img.height:
                total += 1
                hits += close(img.pixel(px, py), fill, tol)
    return hits, total


def main(argv):
    if len(argv) not in (3, 5):
        print(__doc__)
        return 2
    png, layout_path = argv[1], argv[2]
    want = None
    if len(argv) == 5 and argv[3] == "--size":
        w, h = argv[4].split("x")
        want = (int(w), int(h))
    img = Image(png)
    with open(layout_path, encoding="utf-8") as f:
        layout = json.load(f)
    errors = []

    stated = (layout["image"]["width"], layout["image"]["height"])
    if (img.width, img.height) != stated:
        errors.append("size %dx%d, layout says %dx%d" % (img.width, img.height, *stated))
    if want and (img.width, img.height) != want:
        errors.append("size %dx%d, expected %dx%d" % (img.width, img.height, *want))

    # Not blank: sample a grid.
    counts = {}
    samples = 0
    for y in range(0, img.height, 7):
        for x in range(0, img.width, 7):
            c = img.pixel(x, y)
            counts[c] = counts.get(c, 0) + 1
            samples += 1
    top = max(counts.values())
    if len(counts) < 16 or top > 0.95 * samples:
        errors.append("image looks blank: %d colours, the commonest covers %.0f%%"
                      % (len(counts), 100.0 * top / samples))

    clip = layout["clip"]
    boxes = [("file system", layout["file_system"])]
    for fr in layout["frames"]:
        boxes.append(("frame %d" % fr["id"], fr))
        boxes.extend(("row " + r["name"], r) for r in fr["filters"])
    boxes.extend(("legacy " + l["name"], l) for l in layout["legacy"])
    checked = 0
    for name, box in boxes:
        if not inside(box["rect"], clip):
            continue  # scrolled out of the visible canvas
        hits, total = probe_match(img, box["probe"], box["fill"])
        checked += 1
        if total == 0 or hits < 0.9 * total:
            errors.append("%s: %d of %d probe pixels at %s have its colour %s"
                          % (name, hits, total, box["probe"], box["fill"]))
    for i, c in enumerate(layout["connectors"]):
        (x1, y1), (x2, y2) = c["points"][1], c["points"][2]
        if not inside([x1 - 2, min(y1, y2), 4, abs(y2 - y1)], clip):
            continue
        ys = [int(min(y1, y2) + k * abs(y2 - y1) / 10) for k in range(1, 10)]
        red = sum(any(close(img.pixel(int(x1) + dx, y), c["fill"], 60) for dx in (-1, 0, 1))
                  for y in ys)
        checked += 1
        if red < 7:
            errors.append("connector %d: only %d of %d samples red along x=%.1f" % (i, red, len(ys), x1))
    if layout["step_count"] > 0 and layout["step"] > 0 and not layout["frames"]:
        errors.append("the layout has no frame after step %d" % layout["step"])

    label = "%s (%s, step %d/%d)" % (png, layout["scenario"], layout["step"], layout["step_count"])
    if errors:
        print("FAIL " + label)
        for e in errors:
            print("  " + e)
        return 1
    print("ok   %s: %dx%d, %d colours, %d boxes/connectors checked"
          % (label, img.width, img.height, len(counts), checked))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
