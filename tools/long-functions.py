#!/usr/bin/env python3
"""List C functions longer than a limit (default 100 lines), longest first.

The project's style (GNU) puts a definition's name at column 0 after its return type and its
opening and closing braces at column 0, so a function runs from the line with the name to the
next line that is exactly "}". Counted: lines from the name to the closing brace inclusive.

Usage: tools/long-functions.py [--limit N] [DIR ...]   (default DIR: src)
"""
import argparse
import os
import re
import sys

NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def functions(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = NAME.match(lines[i])
        if m and m.group(1) not in ("if", "for", "while", "switch", "return", "sizeof"):
            # The body's "{" opens at column 0 before any ";" ends a declaration.
            j = i
            while j < len(lines) and lines[j] != "{" and not lines[j].rstrip().endswith(";"):
                j += 1
            if j < len(lines) and lines[j] == "{":
                k = j + 1
                while k < len(lines) and lines[k] != "}":
                    k += 1
                yield m.group(1), i + 1, k - i + 1
                i = k
        i += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("dirs", nargs="*", default=["src"])
    a = ap.parse_args()
    found = []
    for d in a.dirs:
        for root, _, files in os.walk(d):
            for name in files:
                if name.endswith(".c"):
                    p = os.path.join(root, name)
                    found += [(n, p, line, size) for n, line, size in functions(p) if size > a.limit]
    found.sort(key=lambda r: (-r[3], r[1]))
    for name, path, line, size in found:
        print(f"{size:5d}  {path}:{line}  {name}")
    print(f"{len(found)} functions over {a.limit} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
