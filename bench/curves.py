#!/usr/bin/env python3
"""Summarises a run's metrics.jsonl as a Markdown table: loss, temperature (1/logit scale), learning rate
and throughput at evenly spaced steps."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
points = int(sys.argv[2]) if len(sys.argv) > 2 else 12
picked = [rows[round(i * (len(rows) - 1) / (points - 1))] for i in range(points)] if len(rows) >= points else rows
print("| step | loss | logit scale | temperature | lr | samples/s |")
print("|---:|---:|---:|---:|---:|---:|")
for r in picked:
    print(f"| {r['step']} | {r['loss']:.3f} | {r['logit_scale']:.1f} | {1 / r['logit_scale']:.4f} | "
          f"{r['lr']:.2e} | {r['samples_per_s']:.0f} |")
