using Onnx;
using Pipeline.Export.Builder;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using static Pipeline.Runtime.ArtifactNames;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Pipeline.Export.Graphs;

/// <summary>
/// The language model as one graph: image embeddings + prompt ids + attention mask → logits. The
/// image splice (VisionLanguageModel.forward, ImageSplice) is inside the graph, so a runtime feeds
/// only what the tokenizer and the vision graph give it. Exposes the text embeddings, the image
/// span's start, every layer's attention probabilities and the final hidden states.
/// </summary>
public static class LanguageModelGraph
{
    const float RmsNormEps = 1e-6f;

    /// <summary>Tensors every layer shares: the spliced sequence's additive mask and RoPE tables.</summary>
    sealed record Shared(Value AdditiveMask, Value Cos, Value Sin, Value PositionIds);

    public static GraphBuilder Build(ModelConfig config, ModelWeights weights, int opset)
    {
        var l = config.Language;
        var graph = new GraphBuilder(LanguageGraph, Description(config));
        var ops = new Ops(graph, opset);
        using var root = graph.Scope("language_model");
        var image = graph.Input(new TensorSignature(ImageEmbeddings, "float32", [Batch, config.NumImageTokens, l.Width], false,
            "the vision graph's image_embeddings"));
        var ids = graph.Input(new TensorSignature(InputIds, "int64", [Batch, TextLength], false,
            $"prompt token ids, right-padded; exactly one <image> (id {config.ImageTokenId}) per row"));
        var mask = graph.Input(new TensorSignature(AttentionMask, "int64", [Batch, TextLength], false, "1 = real token, 0 = padding"));

        var text = graph.Op("Gather", "embed_tokens", [weights.Param(graph, "language_model.embed_tokens.weight"), ids], Attr.Int("axis", 0));  // (B, T, D)
        var (embeds, start, shared) = Splice(ops, config, text, image, ids, mask);

        var x = embeds;
        var probs = new List<Value>(l.Depth);
        for (int i = 0; i < l.Depth; i++)
        {
            using var _ = ops.Scope($"layer{i}");
            string p = $"language_model.layers.{i}";
            var h = ops.RmsNorm("input_layernorm", x, weights.Param(graph, $"{p}.input_layernorm.weight"), RmsNormEps);
            var (attended, layerProbs) = Attention(ops, weights, l, p, h, shared);
            probs.Add(layerProbs);
            x = ops.Add("attn_residual", x, attended);
            h = ops.RmsNorm("post_attention_layernorm", x, weights.Param(graph, $"{p}.post_attention_layernorm.weight"), RmsNormEps);
            x = ops.Add("mlp_residual", x, SwiGlu(ops, weights, p, h));
        }
        var hidden = ops.RmsNorm("norm", x, weights.Param(graph, "language_model.norm.weight"), RmsNormEps);
        var logits = ops.Linear("lm_head", hidden, weights.ParamTransposed(graph, "language_model.lm_head.weight"), null);

        graph.Output(logits, new TensorSignature(Logits, "float32", [Batch, Sequence, l.VocabSize], false,
            "next-token logits over the spliced sequence (text before <image>, the image tokens, text after)"));
        graph.Output(text, new TensorSignature(TextEmbeddings, "float32", [Batch, TextLength, l.Width], true, "token embeddings of input_ids (the placeholder's row included)"));
        graph.Output(start, new TensorSignature(ImageStart, "int64", [Batch], true, "index of the first image token in the spliced sequence"));
        for (int i = 0; i < l.Depth; i++)
            graph.Output(probs[i], new TensorSignature(AttentionProbs(i), "float32", [Batch, l.Heads, Sequence, Sequence], true,
                $"decoder layer {i}'s attention probabilities (query, key), after the causal and padding mask"));
        graph.Output(hidden, new TensorSignature(HiddenStates, "float32", [Batch, Sequence, l.Width], true, "final hidden states, after the last RMSNorm"));
        return graph;
    }

    static string Description(ModelConfig config) =>
        $"Language model of the '{config.Variant.ToCliName()}' variant: the image tokens spliced in at the <image> placeholder, " +
        $"then a LLaMA-style decoder ({config.Language.Depth} layers, width {config.Language.Width}, {config.Language.Heads} heads, RoPE, SwiGLU) and the LM head.";

    /// <summary>
    /// ImageSplice as a gather: position j of a row whose placeholder sits at p reads text j (j &lt; p),
    /// image j − p (p ≤ j &lt; p + M) or text j − M + 1; the mask is spliced the same way with the
    /// image tokens real. Positions are 0…L−1 in every row (right padding).
    /// </summary>
    static (Value Embeds, Value Start, Shared Shared) Splice(Ops ops, ModelConfig config, Value text, Value image, Value ids, Value mask)
    {
        var g = ops.Graph;
        var l = config.Language;
        using var _ = ops.Scope("splice");
        // ArgMax finds the first (only) placeholder; it has no bool kernel, hence the cast.
        var isImage = ops.Cast("is_image", ops.Op("Equal", "find_image", ids, g.Scalar((long)config.ImageTokenId)), DataType.Float);
        var start = g.Op("ArgMax", "image_start", [isImage], Attr.Int("axis", 1), Attr.Int("keepdims", 1));  // (B, 1)
        var textLength = g.Op("Gather", "text_length", [ops.Op("Shape", "ids_shape", ids), g.Scalar(1L)], Attr.Int("axis", 0));      // T
        var imageLength = g.Op("Gather", "image_length", [ops.Op("Shape", "image_shape", image), g.Scalar(1L)], Attr.Int("axis", 0));  // M
        var length = ops.Sub("length", ops.Add("text_plus_image", textLength, imageLength), g.Scalar(1L));                            // L = T + M − 1
        var positions = ops.Op("Range", "positions", g.Scalar(0L), length, g.Scalar(1L));                                            // (L)
        var j = ops.Unsqueeze("positions_row", positions, 0);                                                                         // (1, L)

        var index = ops.Op("Where", "source_index",
            ops.Op("Less", "before_image", j, start),
            j,
            ops.Op("Where", "image_or_after",
                ops.Op("Less", "in_image", j, ops.Add("image_end", start, imageLength)),
                ops.Add("image_index", ops.Sub("offset_in_image", j, start), textLength),
                ops.Add("after_index", ops.Sub("shift_back", j, imageLength), g.Scalar(1L))));                                         // (B, L)
        var both = ops.Concat("text_then_image", 1, text, image);                                                                    // (B, T + M, D)
        var index3 = ops.Op("Expand", "index_per_channel", ops.Unsqueeze("index_3d", index, 2), g.Ints(1, 1, l.Width));
        var embeds = g.Op("GatherElements", "embeds", [both, index3], Attr.Int("axis", 1));                                         // (B, L, D)

        var textMask = ops.Cast("text_mask", ops.Op("Not", "text_is_real", ops.Op("Equal", "text_is_pad", mask, g.Scalar(0L))), DataType.Int64);
        var imageMask = g.Op("ConstantOfShape", "image_mask", [g.Op("Shape", "image_batch_tokens", [image], Attr.Int("end", 2))],
            Attr.Tensor("value", TensorProtoFile.ToProto("one", HostTensor.Int64([1], [1]))));
        var spliced = g.Op("GatherElements", "mask", [ops.Concat("text_then_image_mask", 1, textMask, imageMask), index], Attr.Int("axis", 1));  // (B, L)

        var additive = AdditiveMask(ops, positions, spliced);
        var (cos, sin) = RopeTables(ops, config, positions);
        var positionIds = ops.Op("Expand", "position_ids", j, ops.Op("Shape", "index_shape", index));  // (B, L)
        var startFlat = ops.Reshape("image_start_flat", start, -1);                                     // (B)
        return (embeds, startFlat, new Shared(additive, cos, sin, positionIds));
    }

    /// <summary>
    /// CausalSelfAttention.AdditiveMask: 0 where query i may see key j (j ≤ i and j real), float32's
    /// minimum elsewhere (finite, so a row without visible keys stays uniform instead of NaN).
    /// </summary>
    static Value AdditiveMask(Ops ops, Value positions, Value splicedMask)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("attention_mask");
        var causal = ops.Op("LessOrEqual", "causal", ops.Unsqueeze("keys", positions, 0), ops.Unsqueeze("queries", positions, 1));  // (L, L)
        var real = ops.Unsqueeze("real_keys", ops.Cast("key_is_real", splicedMask, DataType.Bool), 1, 2);                          // (B, 1, 1, L)
        var allowed = ops.Op("And", "allowed", causal, real);                                                                      // (B, 1, L, L)
        return ops.Op("Where", "additive", allowed, g.Scalar(0f), g.Scalar(float.MinValue));
    }

    /// <summary>
    /// Rope's angles p·θ^(−2i/d) for p = 0…L−1, in float32 as the module computes them. Opset 17
    /// gets cos/sin of the full half-split angle row (L, d); opset 23's RotaryEmbedding takes
    /// (L, d/2) caches indexed by position ids.
    /// </summary>
    static (Value Cos, Value Sin) RopeTables(Ops ops, ModelConfig config, Value positions)
    {
        var g = ops.Graph;
        int d = config.Language.HeadDim;
        using var _ = ops.Scope("rope");
        // The same float32 values as Rope's inv_freq, computed the same way.
        var invFreq = Enumerable.Range(0, d / 2).Select(i => (float)Math.Pow(config.Language.RopeTheta, -2.0 * i / d)).ToArray();
        var inv = g.Initializer(g.Qualify("inv_freq"), HostTensor.Float([d / 2], invFreq), $"θ^(−2i/d), θ = {config.Language.RopeTheta}, d = {d}");
        var freqs = ops.Mul("angles", ops.Unsqueeze("positions_column", ops.Cast("positions_float", positions, DataType.Float), 1), inv);  // (L, d/2)
        var angles = ops.UsesStandardLlmOps ? freqs : ops.Concat("angles_both_halves", -1, freqs, freqs);                                // (L, d)
        return (ops.Op("Cos", "cos", angles), ops.Op("Sin", "sin", angles));
    }

    /// <summary>CausalSelfAttention with probabilities returned: softmax(q·kᵀ/√d + mask)·v, RoPE on q and k.</summary>
    static (Value Output, Value Probs) Attention(Ops ops, ModelWeights w, LanguageConfig l, string p, Value x, Shared shared)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("attn");
        long d = l.Width, heads = l.Heads, hd = l.HeadDim;
        var q = ops.Linear("q_proj", x, w.ParamTransposed(g, $"{p}.self_attn.q_proj.weight"), null);  // (B, L, D)
        var k = ops.Linear("k_proj", x, w.ParamTransposed(g, $"{p}.self_attn.k_proj.weight"), null);
        var v = ops.Linear("v_proj", x, w.ParamTransposed(g, $"{p}.self_attn.v_proj.weight"), null);
        Value y, probs;
        if (ops.UsesStandardLlmOps)
        {
            Value Rotate(string name, Value t) => g.Op("RotaryEmbedding", name, [t, shared.Cos, shared.Sin, shared.PositionIds],
                Attr.Int("interleaved", 0), Attr.Int("num_heads", heads));
            // Outputs: Y, present_key, present_value (unused), qk_matmul_output in mode 3 = after softmax.
            var outputs = g.Op("Attention", "attention", [Rotate("rope_q", q), Rotate("rope_k", k), v, shared.AdditiveMask], [true, false, false, true],
                Attr.Int("q_num_heads", heads), Attr.Int("kv_num_heads", heads), Attr.Int("qk_matmul_output_mode", 3));
            // ONNX's shape inference gives qk_matmul_output a key length of 0 when the sequence is
            // dynamic (it reads dim_value() of a symbolic dim), and runtimes then distrust the declared
            // output shape: a Reshape to (B, H, L) + the keys' length, read at run time, restores it.
            y = outputs[0];                                                                                                          // (B, L, D)
            var shape = ops.Concat("probs_shape", 0,
                g.Op("Shape", "batch_heads_queries", [outputs[3]], Attr.Int("end", 3)),
                g.Op("Shape", "key_length", [k], Attr.Int("start", 1), Attr.Int("end", 2)));
            probs = g.Op("Reshape", "probs", [outputs[3], shape]);                                                                   // (B, H, L, L)
        }
        else
        {
            Value Heads(string name, Value t) => ops.Transpose($"{name}_heads", ops.Reshape($"{name}_split_heads", t, 0, 0, heads, hd), 0, 2, 1, 3);  // (B, H, L, hd)
            var qh = Rope(ops, "rope_q", Heads("q", q), shared, hd);
            var kh = Rope(ops, "rope_k", Heads("k", k), shared, hd);
            var scores = ops.Div("scale", ops.MatMul("qk", qh, ops.Transpose("k_t", kh, 0, 1, 3, 2)), g.Scalar((float)Math.Sqrt(hd)));
            probs = ops.Softmax("softmax", ops.Add("mask", scores, shared.AdditiveMask));                                          // (B, H, L, L)
            var pv = ops.MatMul("pv", probs, Heads("v", v));
            y = ops.Reshape("merge_heads", ops.Transpose("heads_last", pv, 0, 2, 1, 3), 0, 0, d);                                 // (B, L, D)
        }
        return (ops.Linear("o_proj", y, w.ParamTransposed(g, $"{p}.self_attn.o_proj.weight"), null), probs);
    }

    /// <summary>Rope.forward: x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] on the halves of the head dimension.</summary>
    static Value Rope(Ops ops, string name, Value x, Shared shared, long hd)
    {
        using var _ = ops.Scope(name);
        var halves = ops.Split("halves", x, -1, hd / 2, hd / 2);
        var rotated = ops.Concat("rotate_half", -1, ops.Op("Neg", "negate_second", halves[1]), halves[0]);
        return ops.Add("add", ops.Mul("x_cos", x, shared.Cos), ops.Mul("rotated_sin", rotated, shared.Sin));
    }

    /// <summary>SwiGluMlp: w2(silu(w1·x) · w3·x).</summary>
    static Value SwiGlu(Ops ops, ModelWeights w, string p, Value x)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("mlp");
        var gate = ops.Silu("silu", ops.Linear("w1", x, w.ParamTransposed(g, $"{p}.mlp.w1.weight"), null));
        var up = ops.Linear("w3", x, w.ParamTransposed(g, $"{p}.mlp.w3.weight"), null);
        return ops.Linear("w2", ops.Mul("gate_up", gate, up), w.ParamTransposed(g, $"{p}.mlp.w2.weight"), null);
    }
}
