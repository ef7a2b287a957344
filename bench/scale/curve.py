#!/usr/bin/env python3
"""curve.py SAMPLES.csv [--buckets N] [--label TEXT]: the write rate over a run.

Reads the samples a BatchWriter writes when CODE_INDEX_WRITER_SAMPLES names
a file (run.py sets it for every `extract --full`: writer-samples-ENGINE.csv
in the size's work directory) and prints a Markdown table with an ASCII bar
per time bucket: records written per second, engine stall time and time
producers waited for the writer in that bucket, and the bytes queued at its
end. The last row of the file is written when the writer finishes; what
follows it (the commit: sorted runs merged and ingested or appended, then
the export) is not in the samples.
Python 3 standard library only.
"""
import argparse
import csv


def load(path):
    with open(path) as fh:
        return [{k: int(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def buckets(rows, n):
    if not rows:
        return []
    end = rows[-1]["elapsed_ms"]
    width = max(1, -(-end // n))  # ceil
    out = []
    prev = {"elapsed_ms": 0, "records": 0, "engine_stall_ms": 0,
            "producer_blocked_ms": 0}
    i = 0
    for b in range(n):
        hi = min(end, (b + 1) * width)
        last = None
        while i < len(rows) and rows[i]["elapsed_ms"] <= hi:
            last = rows[i]
            i += 1
        if last is None:
            continue
        secs = max(1e-3, (last["elapsed_ms"] - prev["elapsed_ms"]) / 1000.0)
        out.append({
            "from_s": prev["elapsed_ms"] / 1000.0,
            "to_s": last["elapsed_ms"] / 1000.0,
            "rate": (last["records"] - prev["records"]) / secs,
            "stall_ms": last["engine_stall_ms"] - prev["engine_stall_ms"],
            "blocked_ms": last["producer_blocked_ms"] - prev["producer_blocked_ms"],
            "queued_mb": last["queued_bytes"] / 1e6,
        })
        prev = last
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("samples")
    ap.add_argument("--buckets", type=int, default=12)
    ap.add_argument("--label", default=None)
    args = ap.parse_args()
    rows = load(args.samples)
    if not rows:
        raise SystemExit("curve: no samples in %s" % args.samples)
    last = rows[-1]
    print("%s: %d records, %.1f MB in %.1f s of writing (%.0f records/s on "
          "average); engine stalls %d ms, producers blocked %d ms\n" % (
              args.label or args.samples, last["records"], last["bytes"] / 1e6,
              last["elapsed_ms"] / 1000.0,
              last["records"] * 1000.0 / max(1, last["elapsed_ms"]),
              last["engine_stall_ms"], last["producer_blocked_ms"]))
    bs = buckets(rows, args.buckets)
    top = max(b["rate"] for b in bs) or 1.0
    print("| s | records/s | | stall ms | blocked ms | queued MB |")
    print("|---|---:|---|---:|---:|---:|")
    for b in bs:
        bar = "#" * int(round(20 * b["rate"] / top))
        print("| %.0f-%.0f | %.0f | `%-20s` | %d | %d | %.1f |" % (
            b["from_s"], b["to_s"], b["rate"], bar, b["stall_ms"],
            b["blocked_ms"], b["queued_mb"]))


if __name__ == "__main__":
    main()
