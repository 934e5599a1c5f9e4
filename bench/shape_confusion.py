#!/usr/bin/env python3
"""Shape confusion of a model on the shapes world's single-object test photos, by size.

    bench/shape_confusion.py MODEL WORLD [CLI=build/app/lodestone-cli]

Each photo is given the shape whose prompt "a photo of a <its colour> <shape>" is nearest (what
`eval`'s shape accuracy counts); prints one table per size and per kind of composition (seen in
training, or held out), true shapes down, predicted across.
"""
import collections
import csv
import json
import subprocess
import sys

model, world = sys.argv[1], sys.argv[2]
cli = sys.argv[3] if len(sys.argv) > 3 else "build/app/lodestone-cli"
shapes = ["circle", "square", "triangle", "star", "hexagon"]
rows = [r for r in csv.DictReader(open(world + "/test/labels.csv")) if r["kind"] == "single"]
held = set(json.load(open(world + "/world.json"))["holdout"])


def prompt(colour, shape):
    words = colour + " " + shape
    return "a photo of " + ("an " if words[0] in "aeiou" else "a ") + words


def embed(args):
    out = subprocess.run([cli] + args + ["--model", model], capture_output=True, text=True, check=True).stdout
    vectors = [json.loads(line) for line in out.splitlines() if line.strip()]
    return vectors[0] if len(vectors) == 1 and isinstance(vectors[0][0], list) else vectors


images = embed(["embed-image"] + [world + "/test/" + r["path"] for r in rows])
prompts = sorted({prompt(r["colour"], s) for r in rows for s in shapes})
texts = dict(zip(prompts, embed(["embed-text"] + prompts)))
confusion = collections.defaultdict(collections.Counter)
for r, image in zip(rows, images):
    score = {s: sum(a * b for a, b in zip(image, texts[prompt(r["colour"], s)])) for s in shapes}
    split = "held-out" if r["colour"] + ":" + r["shape"] in held else "seen"
    confusion[(split, r["size"])][(r["shape"], max(score, key=score.get))] += 1
for split, size in sorted(confusion, key=lambda k: (k[0] != "seen", k[1])):
    counts = confusion[(split, size)]
    right = sum(n for (true, guess), n in counts.items() if true == guess)
    print(f"{split}, {size}: shape accuracy {right / sum(counts.values()):.3f} of {sum(counts.values())}")
    print("true \\ predicted " + " ".join(f"{s:>8}" for s in shapes))
    for true in shapes:
        print(f"{true:16} " + " ".join(f"{counts[(true, guess)]:8d}" for guess in shapes))
