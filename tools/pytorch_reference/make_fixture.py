"""Writes the PyTorch fixture the import test reads: a randomly initialised model of the given
config saved as a state dict (model.pt), and its outputs on a fixed batch (reference.pt).

    /usr/bin/python3 tools/pytorch_reference/make_fixture.py CONFIG.json VOCAB.json OUT_DIR
"""
import json
import shutil
import struct
import sys
from pathlib import Path

import torch

from vlm import VisionLanguageModel


def save_safetensors(state, path):
    """The safetensors layout (8-byte header length, JSON header, raw little-endian data), written
    by hand so that no package beyond torch is needed."""
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main(config_path, vocab_path, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = json.loads(Path(config_path).read_text())
    vocab = json.loads(Path(vocab_path).read_text())["tokens"]
    torch.manual_seed(0)
    model = VisionLanguageModel(config).eval()
    with torch.no_grad():
        # Away from the default init, so that a weight loaded into the wrong place shows.
        for name, p in model.named_parameters():
            p.add_(torch.randn_like(p) * (0.05 if p.dim() > 1 else 0.2))

    v = config["vision"]
    pixels = torch.rand(2, v["channels"], v["image_size"], v["image_size"]) * 2 - 1
    ids = [[vocab.index(w) for w in prompt.split()] for prompt in (
        "<bos> <image> question : what color is the object ? answer :",
        "<bos> <image> question : what shape is at the top ? answer : <pad> <pad>")]
    width = max(len(r) for r in ids)
    input_ids = torch.tensor([r + [0] * (width - len(r)) for r in ids], dtype=torch.long)
    attention_mask = input_ids.ne(0).long()
    with torch.no_grad():
        outputs = model(pixels, input_ids, attention_mask)

    torch.save(model.state_dict(), out / "model.pt")
    save_safetensors(model.state_dict(), out / "model.safetensors")
    torch.save({"pixels": pixels, "input_ids": input_ids, "attention_mask": attention_mask,
                **{k: t.contiguous() for k, t in outputs.items()}}, out / "reference.pt")
    shutil.copyfile(config_path, out / "config.json")
    shutil.copyfile(vocab_path, out / "vocab.json")
    print(f"wrote {out}: torch {torch.__version__}, {sum(p.numel() for p in model.parameters())} parameters")


if __name__ == "__main__":
    main(*sys.argv[1:4])
