#!/usr/bin/env python3
"""check_truth.py – recomputes the truth of a fallnetz-gen-pairs folder from
local.csv and azr.csv, independently of the generator's C code, and compares
it with truth_matches.csv and truth_diffs.csv.

    check_truth.py DIR

The definition (shared/spec/register-exchange.md): a difference is every
column except record_id and updated_at whose values differ after removing
surrounding white space and ignoring case (NFKC + Unicode case folding, so
non-ASCII letters count too). Also checks that record ids are unique, that
every truth pair names existing records, that no record is in two pairs, and
that the files hold nothing the spec leaves open (repeated inner blanks,
blanks around the alias '|', alias lists of a pair that differ only in order
or repetition). Exits 1 on any disagreement."""
import csv
import sys
import unicodedata

SKIP = {"record_id", "updated_at"}


def fold(v):
    return unicodedata.normalize("NFKC", v.strip()).casefold()


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    d = sys.argv[1]
    local = load(f"{d}/local.csv")
    azr = load(f"{d}/azr.csv")
    problems = []
    by_id = []
    for name, rows in (("local", local), ("azr", azr)):
        ids = {}
        for r in rows:
            if r["record_id"] in ids:
                problems.append(f"{name}: duplicate record_id {r['record_id']}")
            ids[r["record_id"]] = r
            for col, v in r.items():
                if "  " in v.strip():
                    problems.append(f"{name} {r['record_id']} {col}: repeated blanks {v!r}")
            if " |" in r["aliases"] or "| " in r["aliases"]:
                problems.append(f"{name} {r['record_id']}: blank around '|' {r['aliases']!r}")
        by_id.append(ids)
    lids, aids = by_id
    cols = [c for c in local[0].keys() if c not in SKIP] if local else []
    seen_l, seen_a = set(), set()
    want = set()
    for m in load(f"{d}/truth_matches.csv"):
        li, ai = m["local_id"], m["azr_id"]
        if li not in lids or ai not in aids:
            problems.append(f"truth pair {li},{ai}: record missing")
            continue
        if li in seen_l or ai in seen_a:
            problems.append(f"truth pair {li},{ai}: record in two pairs")
        seen_l.add(li)
        seen_a.add(ai)
        for c in cols:
            if fold(lids[li][c]) != fold(aids[ai][c]):
                want.add((li, ai, c))
        la, aa = lids[li]["aliases"], aids[ai]["aliases"]
        if fold(la) != fold(aa) and \
                {fold(x) for x in la.split(";")} == {fold(x) for x in aa.split(";")}:
            problems.append(f"{li},{ai}: aliases differ in order or repetition only")
    got = {(r["local_id"], r["azr_id"], r["field"]) for r in load(f"{d}/truth_diffs.csv")}
    for x in sorted(want - got)[:10]:
        problems.append(f"difference missing from truth_diffs.csv: {x}")
    for x in sorted(got - want)[:10]:
        problems.append(f"truth_diffs.csv lists a non-difference: {x}")
    if len(want ^ got) > 20:
        problems.append(f"... {len(want ^ got)} disagreements in all")
    for p in problems[:40]:
        print(p)
    print(f"{d}: {len(seen_l)} pairs, {len(got)} differences, "
          f"{'ok' if not problems else str(len(problems)) + ' problems'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
