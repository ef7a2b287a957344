#!/usr/bin/env python3
"""png-info.py FILE

Prints "png WIDTHxHEIGHT BYTES" for a PNG file (from its IHDR chunk), or
"not a png" — enough to tell that a screenshot was written and holds a
page, not an empty or truncated file.
"""
import struct
import sys

data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
    print("not a png")
    sys.exit(1)
width, height = struct.unpack(">II", data[16:24])
print("png %dx%d %d" % (width, height, len(data)))
