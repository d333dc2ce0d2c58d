import json, re, sys, os, hashlib, shutil
src, dst, fmt = sys.argv[1], sys.argv[2], sys.argv[3]
pat = re.compile(r"the (\w+) (\w+) is at x (\d+) y (\d+)\.")
def conv(ctx):
    objs = pat.findall(ctx)
    assert len(objs) >= 2 and len(" ".join(f"the {c} {s} is at x {x} y {y}." for c,s,x,y in objs)) == len(ctx), ctx
    if fmt == "cf": return " ".join(f"at x {x} y {y} is the {c} {s}." for c,s,x,y in objs)
    if fmt.startswith("n"): return ctx if len(objs) <= int(fmt[1:]) else None
    raise SystemExit("fmt")
for split in ["train","val","test"]:
    os.makedirs(f"{dst}/{split}", exist_ok=True)
    for f in os.listdir(f"{src}/{split}"):
        if f not in ("corpus.jsonl","dataset.json") and not os.path.exists(f"{dst}/{split}/{f}"):
            os.symlink(f"{src}/{split}/{f}", f"{dst}/{split}/{f}")
    p = f"{src}/{split}/corpus.jsonl"
    if os.path.exists(p):
        with open(p) as fi, open(f"{dst}/{split}/corpus.jsonl","w") as fo:
            for line in fi:
                e = json.loads(line); e["context"] = conv(e["context"])
                if e["context"] is not None: fo.write(json.dumps(e)+"\n")
    m = json.load(open(f"{src}/{split}/dataset.json"))
    if os.path.exists(p):
        m["sha256"]["corpus.jsonl"] = hashlib.sha256(open(f"{dst}/{split}/corpus.jsonl","rb").read()).hexdigest()
    json.dump(m, open(f"{dst}/{split}/dataset.json","w"), indent=2)
