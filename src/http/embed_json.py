#!/usr/bin/env python3
"""Embeds a JSON file into C as one string constant.

usage: embed_json.py INPUT.json OUTPUT.c SYMBOL

The file is parsed (a malformed document fails the build) and written back
compact, key order kept, non-ASCII as \\u escapes, like every answer of the
API. Defines `const char SYMBOL[]` and `const size_t SYMBOL_len`.
"""
import json
import sys


def c_string(text):
    out = []
    for ch in text:
        if ch == '\\':
            out.append('\\\\')
        elif ch == '"':
            out.append('\\"')
        elif ch == '?':
            out.append('\\?')  # no trigraphs
        else:
            out.append(ch)
    return ''.join(out)


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: embed_json.py INPUT.json OUTPUT.c SYMBOL')
    src, dst, symbol = sys.argv[1:]
    with open(src, encoding='utf-8') as f:
        try:
            doc = json.load(f)
        except json.JSONDecodeError as e:
            sys.exit('%s: not JSON: %s' % (src, e))
    text = json.dumps(doc, ensure_ascii=True, separators=(',', ':'))
    lines = ['/* Generated from %s by embed_json.py; do not edit. */' % src.split('/')[-1],
             '#include <stddef.h>', '',
             'extern const char %s[];' % symbol,
             'extern const size_t %s_len;' % symbol, '',
             'const char %s[] =' % symbol]
    for i in range(0, len(text), 96):
        lines.append('    "%s"' % c_string(text[i:i + 96]))
    lines[-1] += ';'
    lines.append('const size_t %s_len = %d;' % (symbol, len(text)))
    with open(dst, 'w', encoding='ascii') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
