import json, re, sys, os, hashlib, random
src, dst, mode = sys.argv[1], sys.argv[2], sys.argv[3]
pat = re.compile(r"the (\w+) (\w+) is at x (\d+) y (\d+)\.")
rng = random.Random(7)
def extra(ctx):
    objs = pat.findall(ctx)
    c, s, x, y = rng.choice(objs)
    kinds = [k for k in mode.split(",") if k != "only"]
    k = rng.choice(kinds)
    if k == "color": return (f"what color is the {s}?", c)
    if k == "shape": return (f"what shape is the {c} object?", s)
    if k == "where": return (f"the {c} {s} is at", f"x {x} y {y}")
    if k == "x": return (f"what x is the {c} object at?", x)
    raise SystemExit(k)
for split in ["train","val","test"]:
    os.makedirs(f"{dst}/{split}", exist_ok=True)
    for f in os.listdir(f"{src}/{split}"):
        if f not in ("corpus.jsonl","dataset.json") and not os.path.exists(f"{dst}/{split}/{f}"):
            os.symlink(f"{src}/{split}/{f}", f"{dst}/{split}/{f}")
    p = f"{src}/{split}/corpus.jsonl"
    if os.path.exists(p):
        with open(p) as fi, open(f"{dst}/{split}/corpus.jsonl","w") as fo:
            for line in fi:
                e = json.loads(line)
                if not (split == "train" and "only" in mode): fo.write(line)
                if split == "train":
                    q, a = extra(e["context"])
                    fo.write(json.dumps({"context": e["context"], "question": q, "answer": a, "category": "lookup"})+"\n")
    m = json.load(open(f"{src}/{split}/dataset.json"))
    if os.path.exists(p):
        m["sha256"]["corpus.jsonl"] = hashlib.sha256(open(f"{dst}/{split}/corpus.jsonl","rb").read()).hexdigest()
    json.dump(m, open(f"{dst}/{split}/dataset.json","w"), indent=2)
