using Pipeline.Export.Builder;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Export.Graphs;

/// <summary>
/// The vision tower as one graph: pixels → ViT → [multilayer adapter] → projector → [norm adapter]
/// → [pooling] → image embeddings, with the encoder feature and the projector output before and
/// after the norm adapter exposed. Mirrors VisionEncoder, MultilayerAdapter, Projector, NormAdapter
/// and TokenPooling op for op.
/// </summary>
public static class VisionTowerGraph
{
    const float LayerNormEps = 1e-5f, RmsNormEps = 1e-6f;  // torch.nn.LayerNorm's default; RmsNorm's

    public static GraphBuilder Build(ModelConfig config, ModelWeights weights, int opset)
    {
        var v = config.Vision;
        var graph = new GraphBuilder(VisionGraph, Description(config));
        var ops = new Ops(graph, opset);
        using var root = graph.Scope("vision");
        var pixels = graph.Input(new TensorSignature(Pixels, "float32", [Batch, v.Channels, v.ImageSize, v.ImageSize], false,
            $"RGB image, NCHW, normalised as (x / 255 − {0.5}) / {0.5}"));

        var layers = Encoder(ops, weights, v, pixels, DeepestLayerRead(config));
        var features = config.Variant.UsesMultilayer()
            ? Multilayer(ops, weights, v, layers)
            : layers[v.FeatureLayer - 1];
        if (!config.Variant.UsesMultilayer())
        {
            // The baseline feature skips the final LayerNorm (LLaVA's select layer −2).
            weights.NotRead("vision_tower.ln_post.weight");
            weights.NotRead("vision_tower.ln_post.bias");
        }

        Value projected;
        using (ops.Scope("projector"))
        {
            var h = ops.Linear("linear_1", features, weights.ParamTransposed(graph, "multi_modal_projector.linear_1.weight"), weights.Param(graph, "multi_modal_projector.linear_1.bias"));
            h = ops.Gelu("gelu", h);
            projected = ops.Linear("linear_2", h, weights.ParamTransposed(graph, "multi_modal_projector.linear_2.weight"), weights.Param(graph, "multi_modal_projector.linear_2.bias"));
        }
        Value? adapted = config.Variant.UsesNormAdapter() ? NormAdapter(ops, weights, projected) : null;
        var embeddings = adapted ?? projected;
        if (config.PoolTokens is int k) embeddings = Pool(ops, v.GridSize, k, embeddings);

        long n = v.NumPatches, dl = config.Language.Width;
        graph.Output(embeddings, new TensorSignature(ImageEmbeddings, "float32", [Batch, config.NumImageTokens, dl], false,
            "image tokens for the language model, after every adapter"));
        graph.Output(features, new TensorSignature(EncoderFeatures, "float32", [Batch, n, config.ProjectorInFeatures], true,
            config.Variant.UsesMultilayer()
                ? $"encoder layers {string.Join(", ", v.TapLayers)} through the final LayerNorm, concatenated on channels (the projector's input)"
                : $"encoder layer {v.FeatureLayer} (penultimate, no final LayerNorm; the projector's input)"));
        graph.Output(projected, new TensorSignature(ProjectorOutput, "float32", [Batch, n, dl], true, "projector output, before the norm adapter"));
        if (adapted is { } a)
            graph.Output(a, new TensorSignature(AdapterOutput, "float32", [Batch, n, dl], true, "after the norm adapter, before pooling"));
        return graph;
    }

    static string Description(ModelConfig config) =>
        $"Vision tower of the '{config.Variant.ToCliName()}' variant: ViT ({config.Vision.Depth} layers, width {config.Vision.Width}" +
        (config.Vision.ConvStem ? ", convolutional stem" : "") + ") → " +
        (config.Variant.UsesMultilayer() ? $"multilayer adapter (layers {string.Join(", ", config.Vision.TapLayers)}) → " : $"layer {config.Vision.FeatureLayer} → ") +
        "projector (Linear, GELU, Linear)" +
        (config.Variant.UsesNormAdapter() ? " → norm adapter (RMSNorm, clip L2 norm, scale)" : "") +
        (config.PoolTokens is int k ? $" → average pooling to {k}×{k} tokens" : "") + ".";

    /// <summary>
    /// The last encoder layer (1-based) the projector reads. The module runs every block; the
    /// graph stops there, since later blocks cannot change any output (the baseline reads D − 1).
    /// </summary>
    public static int DeepestLayerRead(ModelConfig config) =>
        config.Variant.UsesMultilayer() ? config.Vision.TapLayers.Max() : config.Vision.FeatureLayer;

    /// <summary>VisionEncoder up to block <paramref name="depth"/>: entry i is block i + 1's output.</summary>
    static List<Value> Encoder(Ops ops, ModelWeights w, VisionConfig v, Value pixels, int depth)
    {
        var g = ops.Graph;
        var x = PatchEmbedding(ops, w, v, pixels);
        for (int i = depth; i < v.Depth; i++)
            foreach (var name in BlockWeights(i)) w.NotRead(name);
        var outputs = new List<Value>(depth);
        for (int i = 0; i < depth; i++)
        {
            using var _ = ops.Scope($"layer{i}");
            string p = $"vision_tower.blocks.{i}";
            var h = ops.LayerNorm("ln_1", x, w.Param(g, $"{p}.ln_1.weight"), w.Param(g, $"{p}.ln_1.bias"), LayerNormEps);
            x = ops.Add("attn_residual", x, Attention(ops, w, v, p, h));
            h = ops.LayerNorm("ln_2", x, w.Param(g, $"{p}.ln_2.weight"), w.Param(g, $"{p}.ln_2.bias"), LayerNormEps);
            using (ops.Scope("mlp"))
            {
                h = ops.Linear("c_fc", h, w.ParamTransposed(g, $"{p}.mlp.c_fc.weight"), w.Param(g, $"{p}.mlp.c_fc.bias"));
                h = ops.Gelu("gelu", h);
                h = ops.Linear("c_proj", h, w.ParamTransposed(g, $"{p}.mlp.c_proj.weight"), w.Param(g, $"{p}.mlp.c_proj.bias"));
            }
            x = ops.Add("mlp_residual", x, h);
            outputs.Add(x);
        }
        return outputs;
    }

    /// <summary>
    /// PatchEmbedding: [two stride-2 3×3 convolutions with GELU, the convolutional stem], the
    /// patch projection, tokens in row-major grid order, plus the learned position embeddings.
    /// </summary>
    static Value PatchEmbedding(Ops ops, ModelWeights w, VisionConfig v, Value pixels)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("patch_embed");
        Value Conv(string name, Value input, string module, int kernel, int stride, int pad) =>
            g.Op("Conv", name, [input, w.Param(g, $"vision_tower.patch_embed.{module}.weight"), w.Param(g, $"vision_tower.patch_embed.{module}.bias")],
                Attr.Ints("kernel_shape", kernel, kernel), Attr.Ints("strides", stride, stride), Attr.Ints("pads", pad, pad, pad, pad));
        var x = pixels;                                                                                    // (B, C, H, W)
        int patch = v.PatchSize;
        if (v.ConvStem)
        {
            x = ops.Gelu("gelu_1", Conv("conv_1", x, "conv_1", 3, 2, 1));                                  // (B, D/4, H/2, W/2)
            x = ops.Gelu("gelu_2", Conv("conv_2", x, "conv_2", 3, 2, 1));                                  // (B, D/2, H/4, W/4)
            patch /= 4;
        }
        var grid = Conv("conv", x, "proj", patch, patch, 0);                                               // (B, D, g, g)
        var tokens = ops.Transpose("to_tokens", ops.Reshape("flatten", grid, 0, v.Width, -1), 0, 2, 1);    // (B, g·g, D), row-major
        return ops.Add("add_pos_embed", tokens, w.Param(g, "vision_tower.pos_embed"));
    }

    static IEnumerable<string> BlockWeights(int i) =>
        from part in new[] { "ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj" }
        from kind in new[] { "weight", "bias" }
        select $"vision_tower.blocks.{i}.{part}.{kind}";

    /// <summary>VisionAttention: bidirectional multi-head self-attention, softmax(q·kᵀ/√d)·v.</summary>
    static Value Attention(Ops ops, ModelWeights w, VisionConfig v, string p, Value x)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("attn");
        long d = v.Width, heads = v.Heads, hd = v.Width / v.Heads;
        var qkv = ops.Linear("c_attn", x, w.ParamTransposed(g, $"{p}.attn.c_attn.weight"), w.Param(g, $"{p}.attn.c_attn.bias"));  // (B, N, 3D)
        var parts = ops.Split("split_qkv", qkv, 2, d, d, d);
        Value y;
        if (ops.UsesStandardLlmOps)
        {
            y = g.Op("Attention", "attention", [parts[0], parts[1], parts[2]], Attr.Int("q_num_heads", heads), Attr.Int("kv_num_heads", heads));  // (B, N, D)
        }
        else
        {
            Value Heads(string name, Value t) => ops.Transpose($"{name}_heads", ops.Reshape($"{name}_split_heads", t, 0, 0, heads, hd), 0, 2, 1, 3);  // (B, H, N, hd)
            var (q, k, vv) = (Heads("q", parts[0]), Heads("k", parts[1]), Heads("v", parts[2]));
            var scores = ops.Div("scale", ops.MatMul("qk", q, ops.Transpose("k_t", k, 0, 1, 3, 2)), g.Scalar((float)Math.Sqrt(hd)));
            var probs = ops.Softmax("softmax", scores);
            y = ops.MatMul("pv", probs, vv);                                                                   // (B, H, N, hd)
            y = ops.Reshape("merge_heads", ops.Transpose("heads_last", y, 0, 2, 1, 3), 0, 0, d);              // (B, N, D)
        }
        return ops.Linear("c_proj", y, w.ParamTransposed(g, $"{p}.attn.c_proj.weight"), w.Param(g, $"{p}.attn.c_proj.bias"));
    }

    /// <summary>MultilayerAdapter: each tapped layer through the encoder's final LayerNorm, concatenated on channels.</summary>
    static Value Multilayer(Ops ops, ModelWeights w, VisionConfig v, IReadOnlyList<Value> layers)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("multilayer_adapter");
        var (weight, bias) = (w.Param(g, "vision_tower.ln_post.weight"), w.Param(g, "vision_tower.ln_post.bias"));
        var taps = v.TapLayers.Select((layer, i) => ops.LayerNorm($"tap{i}_layer{layer - 1}_ln_post", layers[layer - 1], weight, bias, LayerNormEps)).ToArray();
        return ops.Concat("concat", -1, taps);
    }

    /// <summary>NormAdapter: r = RMSNorm(x); r · min(max_norm / ‖r‖, 1) · target_mean.</summary>
    static Value NormAdapter(Ops ops, ModelWeights w, Value x)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("norm_adapter");
        var r = ops.RmsNorm("rms_norm", x, w.Param(g, "norm_adapter.norm.weight"), RmsNormEps);
        var length = ops.Reduce("ReduceL2", "l2_norm", r, [-1], keepDims: true);
        // max_norm / 0 = inf, clipped to 1: a zero token stays zero, as in the module.
        var scale = ops.Op("Min", "clip", ops.Div("max_over_norm", w.Param(g, "norm_adapter.max_norm"), length), g.Scalar(1f));
        return ops.Mul("target_mean", ops.Mul("rescale", r, scale), w.Param(g, "norm_adapter.target_mean"));
    }

    /// <summary>
    /// TokenPooling (AdaptiveAvgPool2d on the g×g grid to k×k) as one MatMul with a fixed averaging
    /// matrix: exact for any g and k, including the overlapping windows of a k that does not divide g.
    /// </summary>
    static Value Pool(Ops ops, int grid, int k, Value x)
    {
        using var _ = ops.Scope("pooling");
        var matrix = ops.Graph.Initializer(ops.Graph.Qualify("average_matrix"), PoolingMatrix(grid, k), $"AdaptiveAvgPool2d({k}) over the {grid}×{grid} token grid, (k·k, g·g)");
        return ops.MatMul("average", matrix, x);  // (k·k, N) · (B, N, D) → (B, k·k, D)
    }

    /// <summary>Row i·k + j averages the tokens of PyTorch's adaptive window (i, j): [⌊i·g/k⌋, ⌈(i+1)·g/k⌉).</summary>
    public static HostTensor PoolingMatrix(int grid, int k)
    {
        var m = new float[k * k * grid * grid];
        static (int Start, int End) Window(int i, int grid, int k) => (i * grid / k, ((i + 1) * grid + k - 1) / k);
        for (int i = 0; i < k; i++)
        {
            var (r0, r1) = Window(i, grid, k);
            for (int j = 0; j < k; j++)
            {
                var (c0, c1) = Window(j, grid, k);
                float weight = 1f / ((r1 - r0) * (c1 - c0));
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++)
                        m[(i * k + j) * grid * grid + r * grid + c] = weight;
            }
        }
        return HostTensor.Float([k * k, grid * grid], m);
    }
}
