import json, re, sys, os, hashlib, random
src, dst, mode = sys.argv[1], sys.argv[2], sys.argv[3]
pat = re.compile(r"the (\w+) (\w+) is at x (\d+) y (\d+)\.")
rng = random.Random(7)
for split in ["train","val","test"]:
    os.makedirs(f"{dst}/{split}", exist_ok=True)
    for f in os.listdir(f"{src}/{split}"):
        if f not in ("corpus.jsonl","dataset.json") and not os.path.exists(f"{dst}/{split}/{f}"):
            os.symlink(f"{src}/{split}/{f}", f"{dst}/{split}/{f}")
    p = f"{src}/{split}/corpus.jsonl"
    if os.path.exists(p):
        entries = [json.loads(l) for l in open(p)]
        if split == "train":
            groups = {}
            for e in entries:
                key = tuple(sorted(pat.findall(e["context"])))
                groups.setdefault(key, []).append(e)
            out = []
            for key, es in groups.items():
                qa = [(e["question"], e["answer"]) for e in es]
                if "lookup" in mode:
                    for c, s, x, y in key:
                        qa.append((f"what color is the {s}?", c))
                        qa.append((f"what shape is the {c} object?", s))
                rng.shuffle(qa)
                q = " ".join(f"{q} answer : {a} question :" for q, a in qa[:-1]) + " " + qa[-1][0]
                out.append({"context": rng.choice(es)["context"], "question": q, "answer": qa[-1][1], "category": "dense"})
            entries = out
        with open(f"{dst}/{split}/corpus.jsonl","w") as fo:
            for e in entries: fo.write(json.dumps(e)+"\n")
    m = json.load(open(f"{src}/{split}/dataset.json"))
    if os.path.exists(p):
        m["sha256"]["corpus.jsonl"] = hashlib.sha256(open(f"{dst}/{split}/corpus.jsonl","rb").read()).hexdigest()
    json.dump(m, open(f"{dst}/{split}/dataset.json","w"), indent=2)
