#!/usr/bin/env python3
"""evaluate.py – match F1 and difference F1 of a reconcile output folder
against the truth files written by fallnetz-gen-pairs.

    evaluate.py TRUTH_DIR OUT_DIR [-v]

A match is a (local_id, azr_id) pair; a difference is a (local_id, azr_id,
field) triple. Prints precision, recall and F1 of both as JSON; -v adds up to
20 missed and extra items of each kind and the difference counts per field.
build/bench/linkage/fallnetz-eval-pairs prints the same without Python."""
import csv
import json
import sys


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def prf(truth, found):
    tp = len(truth & found)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 5), "recall": round(r, 5), "f1": round(f1, 5),
            "truth": len(truth), "found": len(found), "true_positive": tp}


def main():
    truth_dir, out_dir = sys.argv[1], sys.argv[2]
    tm = {(r["local_id"], r["azr_id"]) for r in rows(f"{truth_dir}/truth_matches.csv")}
    fm = {(r["local_id"], r["azr_id"]) for r in rows(f"{out_dir}/matches.csv")}
    td = {(r["local_id"], r["azr_id"], r["field"]) for r in rows(f"{truth_dir}/truth_diffs.csv")}
    fd = {(r["local_id"], r["azr_id"], r["field"]) for r in rows(f"{out_dir}/diffs.csv")}
    res = {"match": prf(tm, fm), "difference": prf(td, fd)}
    if "-v" in sys.argv:
        missed = sorted(td - fd)[:20]
        extra = sorted(fd - td)[:20]
        res["missed_diffs"] = missed
        res["extra_diffs"] = extra
        res["missed_matches"] = sorted(tm - fm)[:20]
        res["extra_matches"] = sorted(fm - tm)[:20]
        res["by_field"] = {
            f: {"truth": sum(1 for x in td if x[2] == f),
                "found": sum(1 for x in fd if x[2] == f),
                "true_positive": sum(1 for x in td & fd if x[2] == f)}
            for f in sorted({x[2] for x in td | fd})}
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
