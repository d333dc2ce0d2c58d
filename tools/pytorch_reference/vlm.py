"""A PyTorch reference of the pipeline's vision-language model (train/Model/*.cs), module for
module and with the same Hugging Face LLaVA-style parameter names, so that a state dict trained
here loads into the pipeline with `pipeline import`.

Reads the pipeline's own config.json (ModelConfig). Covers the variants baseline, norm,
multilayer and norm-multilayer with a patch embedding and no token pooling.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F


class PatchEmbedding(nn.Module):
    def __init__(self, v):
        super().__init__()
        if v["conv_stem"]:
            raise NotImplementedError("the convolutional stem is not mirrored here")
        self.proj = nn.Conv2d(v["channels"], v["width"], kernel_size=v["patch_size"], stride=v["patch_size"])

    def forward(self, pixels):                              # (B, C, H, W)
        return self.proj(pixels).flatten(2).transpose(1, 2)  # (B, g·g, D), row-major over the grid


class VisionAttention(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.n_head = v["heads"]
        self.c_attn = nn.Linear(v["width"], 3 * v["width"])
        self.c_proj = nn.Linear(v["width"], v["width"])

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        q, k, v = (t.view(b, n, self.n_head, d // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, H, N, hd)
        y = (q @ k.transpose(-2, -1) / math.sqrt(d // self.n_head)).softmax(-1) @ v  # torch 1.13 has no SDPA
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, n, d))


class VisionMlp(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.c_fc = nn.Linear(v["width"], v["mlp_ratio"] * v["width"])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(v["mlp_ratio"] * v["width"], v["width"])

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class VisionBlock(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.ln_1 = nn.LayerNorm(v["width"])
        self.attn = VisionAttention(v)
        self.ln_2 = nn.LayerNorm(v["width"])
        self.mlp = VisionMlp(v)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class VisionEncoder(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.patch_embed = PatchEmbedding(v)
        self.pos_embed = nn.Parameter(torch.zeros(1, v["num_patches"], v["width"]))
        self.blocks = nn.ModuleList(VisionBlock(v) for _ in range(v["depth"]))
        self.ln_post = nn.LayerNorm(v["width"])

    def forward(self, pixels):
        x = self.patch_embed(pixels) + self.pos_embed      # (B, N, D)
        layers = []
        for block in self.blocks:
            x = block(x)
            layers.append(x)
        return layers


class Projector(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.linear_1 = nn.Linear(config["projector_in_features"], config["language"]["width"])
        self.act = nn.GELU()
        self.linear_2 = nn.Linear(config["language"]["width"], config["language"]["width"])

    def forward(self, features):
        return self.linear_2(self.act(self.linear_1(features)))


class RmsNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class NormAdapter(nn.Module):
    """RMSNorm, then each token's length clipped to max_norm and scaled by target_mean."""

    def __init__(self, config):
        super().__init__()
        self.norm = RmsNorm(config["language"]["width"])
        self.register_buffer("target_mean", torch.tensor(float(config["norm"]["target_mean"])))
        self.register_buffer("max_norm", torch.tensor(float(config["norm"]["max_norm"])))

    def forward(self, x):
        r = self.norm(x)
        scale = (self.max_norm / r.norm(dim=-1, keepdim=True)).clamp_max(1.0)
        return r * scale * self.target_mean


class Rope(nn.Module):
    def __init__(self, lang):
        super().__init__()
        d = lang["width"] // lang["heads"]
        self.inv_freq = torch.tensor([math.pow(lang["rope_theta"], -2.0 * i / d) for i in range(d // 2)], dtype=torch.float32)

    def forward(self, x, position_ids):                     # x (B, H, T, hd), positions (B, T)
        freqs = position_ids.float().unsqueeze(-1) * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)
        x1, x2 = x.chunk(2, dim=-1)
        return x * emb.cos() + torch.cat([-x2, x1], dim=-1) * emb.sin()


class CausalSelfAttention(nn.Module):
    def __init__(self, lang):
        super().__init__()
        w = lang["width"]
        self.n_head = lang["heads"]
        self.q_proj = nn.Linear(w, w, bias=False)
        self.k_proj = nn.Linear(w, w, bias=False)
        self.v_proj = nn.Linear(w, w, bias=False)
        self.o_proj = nn.Linear(w, w, bias=False)
        self.rotary_emb = Rope(lang)

    def forward(self, x, position_ids, attention_mask):
        b, t, d = x.shape
        hd = d // self.n_head
        q, k, v = (p(x).view(b, t, self.n_head, hd).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        q, k = self.rotary_emb(q, position_ids), self.rotary_emb(k, position_ids)
        allowed = torch.ones(t, t, dtype=torch.bool).tril().view(1, 1, t, t) & attention_mask.ne(0).view(b, 1, 1, t)
        mask = torch.zeros(allowed.shape).masked_fill(~allowed, torch.finfo(torch.float32).min)
        probs = (q @ k.transpose(-2, -1) / math.sqrt(hd) + mask).softmax(-1)  # (B, H, T, T)
        y = (probs @ v).transpose(1, 2).contiguous().view(b, t, d)
        return self.o_proj(y), probs


class SwiGluMlp(nn.Module):
    def __init__(self, lang):
        super().__init__()
        self.w1 = nn.Linear(lang["width"], lang["mlp_hidden"], bias=False)
        self.w2 = nn.Linear(lang["mlp_hidden"], lang["width"], bias=False)
        self.w3 = nn.Linear(lang["width"], lang["mlp_hidden"], bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class DecoderBlock(nn.Module):
    def __init__(self, lang):
        super().__init__()
        self.input_layernorm = RmsNorm(lang["width"])
        self.self_attn = CausalSelfAttention(lang)
        self.post_attention_layernorm = RmsNorm(lang["width"])
        self.mlp = SwiGluMlp(lang)

    def forward(self, x, position_ids, attention_mask):
        a, probs = self.self_attn(self.input_layernorm(x), position_ids, attention_mask)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), probs


class LanguageModel(nn.Module):
    def __init__(self, lang):
        super().__init__()
        self.embed_tokens = nn.Embedding(lang["vocab_size"], lang["width"])
        self.layers = nn.ModuleList(DecoderBlock(lang) for _ in range(lang["depth"]))
        self.norm = RmsNorm(lang["width"])
        self.lm_head = nn.Linear(lang["width"], lang["vocab_size"], bias=False)

    def forward(self, embeds, position_ids, attention_mask):
        x, attentions = embeds, []
        for layer in self.layers:
            x, probs = layer(x, position_ids, attention_mask)
            attentions.append(probs)
        hidden = self.norm(x)
        return self.lm_head(hidden), hidden, attentions


class VisionLanguageModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        if config.get("pool_tokens") is not None:
            raise NotImplementedError("token pooling is not mirrored here")
        self.config = config
        variant = config["variant"]
        self.multilayer = variant in ("multilayer", "norm-multilayer")
        self.vision_tower = VisionEncoder(config["vision"])
        self.multi_modal_projector = Projector(config)
        self.norm_adapter = NormAdapter(config) if variant in ("norm", "norm-multilayer") else None
        self.language_model = LanguageModel(config["language"])

    def encode_image(self, pixels):
        layers = self.vision_tower(pixels)
        if self.multilayer:
            # The taps go through the encoder's final LayerNorm (ln_post), then side by side.
            return torch.cat([self.vision_tower.ln_post(layers[i - 1]) for i in self.config["vision"]["tap_layers"]], dim=-1)
        return layers[self.config["vision"]["feature_layer"] - 1]

    def image_embeddings(self, pixels):
        projected = self.multi_modal_projector(self.encode_image(pixels))  # (B, N, Dl)
        return self.norm_adapter(projected) if self.norm_adapter is not None else projected

    def forward(self, pixels, input_ids, attention_mask):
        """Logits over the spliced sequence: text before <image>, the image tokens, text after."""
        image = self.image_embeddings(pixels)                    # (B, M, Dl)
        b, t = input_ids.shape
        m = image.shape[1]
        start = input_ids.eq(self.config["image_token_id"]).long().argmax(1, keepdim=True)  # (B, 1)
        j = torch.arange(t + m - 1).unsqueeze(0)                 # (1, L)
        source = torch.where(j < start, j, torch.where(j < start + m, j - start + t, j - m + 1))  # (B, L)
        text = self.language_model.embed_tokens(input_ids)
        both = torch.cat([text, image], dim=1)
        embeds = both.gather(1, source.unsqueeze(-1).expand(-1, -1, both.shape[-1]))
        mask = torch.cat([attention_mask.ne(0).long(), torch.ones(b, m, dtype=torch.long)], dim=1).gather(1, source)
        positions = torch.arange(t + m - 1).expand(b, -1)
        logits, hidden, attentions = self.language_model(embeds, positions, mask)
        return {"image_embeddings": image, "logits": logits, "hidden_states": hidden, "text_embeddings": text}
