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
/// span's start, every layer's attention probabilities, keys and values, and the final hidden
/// states. <see cref="BuildStep"/> is the same decoder on new tokens against those keys and values.
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

        var probs = new List<Value>(l.Depth);
        var presents = new List<(Value Key, Value Value)>(l.Depth);
        var (hidden, logits) = Decoder(ops, weights, l, embeds, shared, past: null, probs, presents);
        graph.Output(logits, new TensorSignature(Logits, "float32", [Batch, Sequence, l.VocabSize], false,
            "next-token logits over the spliced sequence (text before <image>, the image tokens, text after)"));
        graph.Output(text, new TensorSignature(TextEmbeddings, "float32", [Batch, TextLength, l.Width], true, "token embeddings of input_ids (the placeholder's row included)"));
        graph.Output(start, new TensorSignature(ImageStart, "int64", [Batch], true, "index of the first image token in the spliced sequence"));
        for (int i = 0; i < l.Depth; i++)
            graph.Output(probs[i], new TensorSignature(AttentionProbs(i), "float32", [Batch, l.Heads, Sequence, Sequence], true,
                $"decoder layer {i}'s attention probabilities (query, key), after the causal and padding mask"));
        graph.Output(hidden, new TensorSignature(HiddenStates, "float32", [Batch, Sequence, l.Width], true, "final hidden states, after the last RMSNorm"));
        for (int i = 0; i < l.Depth; i++)
        {
            graph.Output(presents[i].Key, new TensorSignature(PresentKey(i), "float32", [Batch, l.Heads, Sequence, l.HeadDim], false,
                $"decoder layer {i}'s keys after RoPE: the cache {LanguageStepGraph} reads as {PastKey(i)}"));
            graph.Output(presents[i].Value, new TensorSignature(PresentValue(i), "float32", [Batch, l.Heads, Sequence, l.HeadDim], false,
                $"decoder layer {i}'s values: the cache {LanguageStepGraph} reads as {PastValue(i)}"));
        }
        return graph;
    }

    /// <summary>
    /// The decoder on new tokens appended to a cached sequence: the logits of S new tokens per row
    /// from the language graph's present.* keys and values (P cached positions, padding included)
    /// without recomputing them. Greedy decoding feeds every token generated so far (S is one or
    /// two for 2DS answers), so the graph needs no cache outputs of its own.
    /// </summary>
    public static GraphBuilder BuildStep(ModelConfig config, ModelWeights weights, int opset)
    {
        var l = config.Language;
        var graph = new GraphBuilder(LanguageStepGraph, StepDescription(config));
        var ops = new Ops(graph, opset);
        using var root = graph.Scope("language_model");
        var past = new List<(Value Key, Value Value)>(l.Depth);
        for (int i = 0; i < l.Depth; i++)
            past.Add((
                graph.Input(new TensorSignature(PastKey(i), "float32", [Batch, l.Heads, PastSequence, l.HeadDim], false, $"{LanguageGraph}'s {PresentKey(i)}")),
                graph.Input(new TensorSignature(PastValue(i), "float32", [Batch, l.Heads, PastSequence, l.HeadDim], false, $"{LanguageGraph}'s {PresentValue(i)}"))));
        var ids = graph.Input(new TensorSignature(InputIds, "int64", [Batch, NewTokens], false, "the new tokens, in order (every row the same count)"));
        var positionIds = graph.Input(new TensorSignature(PositionIds, "int64", [Batch, NewTokens], false,
            "each new token's position in its row's spliced sequence: the row's real length, then one more per token"));
        var mask = graph.Input(new TensorSignature(AttentionMask, "int64", [Batch, TotalSequence], false,
            "1 = real key, 0 = padding, over the cached positions and then the new tokens"));

        var embeds = graph.Op("Gather", "embed_tokens", [weights.Param(graph, "language_model.embed_tokens.weight"), ids], Attr.Int("axis", 0));  // (B, S, D)
        var shared = StepShared(ops, config, ids, positionIds, mask);
        var (_, logits) = Decoder(ops, weights, l, embeds, shared, past, probs: null, presents: null);
        graph.Output(logits, new TensorSignature(Logits, "float32", [Batch, NewTokens, l.VocabSize], false, "next-token logits at each new token"));
        return graph;
    }

    static string StepDescription(ModelConfig config) =>
        $"Cached decoding step of the '{config.Variant.ToCliName()}' variant's language model: new tokens against the keys and values " +
        $"{LanguageGraph} returns as present.*; the same weights and layers ({config.Language.Depth} layers, width {config.Language.Width}).";

    /// <summary>The decoder layers, final norm and LM head on (B, S, D) embeddings: (hidden states, logits).</summary>
    /// <param name="past">Per layer, cached keys and values the new tokens attend to before themselves; null for none.</param>
    /// <param name="probs">Collects each layer's attention probabilities; null when not wanted.</param>
    /// <param name="presents">Collects each layer's keys (after RoPE) and values; null when not wanted.</param>
    static (Value Hidden, Value Logits) Decoder(Ops ops, ModelWeights weights, LanguageConfig l, Value embeds, Shared shared,
        IReadOnlyList<(Value Key, Value Value)>? past, List<Value>? probs, List<(Value Key, Value Value)>? presents)
    {
        var graph = ops.Graph;
        var x = embeds;
        for (int i = 0; i < l.Depth; i++)
        {
            using var _ = ops.Scope($"layer{i}");
            string p = $"language_model.layers.{i}";
            var h = ops.RmsNorm("input_layernorm", x, weights.Param(graph, $"{p}.input_layernorm.weight"), RmsNormEps);
            var attention = Attention(ops, weights, l, p, h, shared, past?[i], probs is not null, presents is not null);
            probs?.Add(attention.Probs);
            presents?.Add((attention.Key, attention.Value));
            x = ops.Add("attn_residual", x, attention.Output);
            h = ops.RmsNorm("post_attention_layernorm", x, weights.Param(graph, $"{p}.post_attention_layernorm.weight"), RmsNormEps);
            x = ops.Add("mlp_residual", x, SwiGlu(ops, weights, p, h));
        }
        var hidden = ops.RmsNorm("norm", x, weights.Param(graph, "language_model.norm.weight"), RmsNormEps);
        return (hidden, ops.Linear("lm_head", hidden, weights.ParamTransposed(graph, "language_model.lm_head.weight"), null));
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

        var additive = AdditiveMask(ops, positions, positions, spliced);
        var (cos, sin) = RopeTables(ops, config, positions);
        var positionIds = ops.Op("Expand", "position_ids", j, ops.Op("Shape", "index_shape", index));  // (B, L)
        var startFlat = ops.Reshape("image_start_flat", start, -1);                                     // (B)
        return (embeds, startFlat, new Shared(additive, cos, sin, positionIds));
    }

    /// <summary>
    /// The step graph's mask and RoPE tables. The new tokens sit after the P cached positions of the
    /// key axis (query s at P + s), but rotate by their own position ids: opset 17 gets cos/sin per
    /// token (B, 1, S, d), opset 23's RotaryEmbedding caches covering every position up to P + S.
    /// </summary>
    static Shared StepShared(Ops ops, ModelConfig config, Value ids, Value positionIds, Value mask)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("step");
        var total = g.Op("Gather", "total_length", [ops.Op("Shape", "mask_shape", mask), g.Scalar(1L)], Attr.Int("axis", 0));  // P + S
        var count = g.Op("Gather", "new_count", [ops.Op("Shape", "ids_shape", ids), g.Scalar(1L)], Attr.Int("axis", 0));       // S
        var keys = ops.Op("Range", "key_slots", g.Scalar(0L), total, g.Scalar(1L));                                             // (P + S)
        var queries = ops.Op("Range", "query_slots", ops.Sub("past_length", total, count), total, g.Scalar(1L));                // (S)
        var additive = AdditiveMask(ops, queries, keys, mask);                                                                    // (B, 1, S, P + S)
        if (ops.UsesStandardLlmOps)
        {
            var (cacheCos, cacheSin) = RopeTables(ops, config, keys);                                                             // (P + S, d/2)
            return new Shared(additive, cacheCos, cacheSin, positionIds);
        }
        var (cos, sin) = RopeTables(ops, config, positionIds);                                                                    // (B, S, d)
        return new Shared(additive, ops.Unsqueeze("cos_heads", cos, 1), ops.Unsqueeze("sin_heads", sin, 1), positionIds);       // (B, 1, S, d)
    }

    /// <summary>
    /// CausalSelfAttention.AdditiveMask: 0 where query i may see key j (j ≤ i and j real), float32's
    /// minimum elsewhere (finite, so a row without visible keys stays uniform instead of NaN).
    /// </summary>
    /// <param name="queries">(Q) the queries' slots on the key axis.</param>
    /// <param name="keys">(K) the keys' slots.</param>
    /// <param name="keyMask">(B, K) 1 = real key.</param>
    static Value AdditiveMask(Ops ops, Value queries, Value keys, Value keyMask)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("attention_mask");
        var causal = ops.Op("LessOrEqual", "causal", ops.Unsqueeze("keys", keys, 0), ops.Unsqueeze("queries", queries, 1));  // (Q, K)
        var real = ops.Unsqueeze("real_keys", ops.Cast("key_is_real", keyMask, DataType.Bool), 1, 2);                      // (B, 1, 1, K)
        var allowed = ops.Op("And", "allowed", causal, real);                                                              // (B, 1, Q, K)
        return ops.Op("Where", "additive", allowed, g.Scalar(0f), g.Scalar(float.MinValue));
    }

    /// <summary>
    /// Rope's angles p·θ^(−2i/d) for the given positions (L) or (B, S), in float32 as the module
    /// computes them. Opset 17 gets cos/sin of the full half-split angle row (…, d); opset 23's
    /// RotaryEmbedding takes (L, d/2) caches indexed by position ids.
    /// </summary>
    static (Value Cos, Value Sin) RopeTables(Ops ops, ModelConfig config, Value positions)
    {
        var g = ops.Graph;
        int d = config.Language.HeadDim;
        using var _ = ops.Scope("rope");
        // The same float32 values as Rope's inv_freq, computed the same way.
        var invFreq = Enumerable.Range(0, d / 2).Select(i => (float)Math.Pow(config.Language.RopeTheta, -2.0 * i / d)).ToArray();
        var inv = g.Initializer(g.Qualify("inv_freq"), HostTensor.Float([d / 2], invFreq), $"θ^(−2i/d), θ = {config.Language.RopeTheta}, d = {d}");
        var freqs = ops.Mul("angles", ops.Unsqueeze("positions_column", ops.Cast("positions_float", positions, DataType.Float), -1), inv);  // (…, d/2)
        var angles = ops.UsesStandardLlmOps ? freqs : ops.Concat("angles_both_halves", -1, freqs, freqs);                                // (…, d)
        return (ops.Op("Cos", "cos", angles), ops.Op("Sin", "sin", angles));
    }

    /// <summary>What one layer's attention gives: its output (B, S, D), and where asked its probabilities and its keys and values (B, H, S, hd).</summary>
    sealed record AttentionValues(Value Output, Value Probs, Value Key, Value Value);

    /// <summary>
    /// CausalSelfAttention: softmax(q·kᵀ/√d + mask)·v, RoPE on q and k; with <paramref name="past"/>
    /// the keys and values are the cached ones followed by the new tokens' own.
    /// </summary>
    static AttentionValues Attention(Ops ops, ModelWeights w, LanguageConfig l, string p, Value x, Shared shared,
        (Value Key, Value Value)? past, bool wantProbs, bool wantPresent)
    {
        var g = ops.Graph;
        using var _ = ops.Scope("attn");
        long d = l.Width, heads = l.Heads, hd = l.HeadDim;
        var q = ops.Linear("q_proj", x, w.ParamTransposed(g, $"{p}.self_attn.q_proj.weight"), null);  // (B, S, D)
        var k = ops.Linear("k_proj", x, w.ParamTransposed(g, $"{p}.self_attn.k_proj.weight"), null);
        var v = ops.Linear("v_proj", x, w.ParamTransposed(g, $"{p}.self_attn.v_proj.weight"), null);
        Value y, probs = Value.None, key, value;
        if (ops.UsesStandardLlmOps)
        {
            Value Rotate(string name, Value t) => g.Op("RotaryEmbedding", name, [t, shared.Cos, shared.Sin, shared.PositionIds],
                Attr.Int("interleaved", 0), Attr.Int("num_heads", heads));
            // Outputs: Y, present_key and present_value (the past followed by the new keys and values, (B, H, P + S, hd)),
            // qk_matmul_output in mode 3 = after softmax.
            Value[] inputs = past is { } cached
                ? [Rotate("rope_q", q), Rotate("rope_k", k), v, shared.AdditiveMask, cached.Key, cached.Value]
                : [Rotate("rope_q", q), Rotate("rope_k", k), v, shared.AdditiveMask];
            // ONNX Runtime's CPU kernel requires the present outputs whenever a past is given.
            bool present = wantPresent || past is not null;
            var outputs = g.Op("Attention", "attention", inputs, [true, present, present, wantProbs],
                Attr.Int("q_num_heads", heads), Attr.Int("kv_num_heads", heads), Attr.Int("qk_matmul_output_mode", 3));
            y = outputs[0];                                                                                                          // (B, S, D)
            // ONNX's inference leaves present_key/present_value without a rank when there is no past;
            // a Reshape to (B, H, ·, hd), B read at run time, declares it.
            (key, value) = (outputs[1], outputs[2]);
            if (wantPresent)
            {
                var cacheShape = ops.Concat("cache_shape", 0, g.Op("Shape", "batch", [x], Attr.Int("end", 1)), g.Ints(heads, -1, hd));
                (key, value) = (g.Op("Reshape", "present_key", [key, cacheShape]), g.Op("Reshape", "present_value", [value, cacheShape]));
            }
            if (wantProbs)
            {
                // ONNX's shape inference gives qk_matmul_output a key length of 0 when the sequence is
                // dynamic (it reads dim_value() of a symbolic dim), and runtimes then distrust the declared
                // output shape: a Reshape to (B, H, L) + the keys' length, read at run time, restores it.
                var shape = ops.Concat("probs_shape", 0,
                    g.Op("Shape", "batch_heads_queries", [outputs[3]], Attr.Int("end", 3)),
                    g.Op("Shape", "key_length", [k], Attr.Int("start", 1), Attr.Int("end", 2)));
                probs = g.Op("Reshape", "probs", [outputs[3], shape]);                                                               // (B, H, L, L)
            }
        }
        else
        {
            Value Heads(string name, Value t) => ops.Transpose($"{name}_heads", ops.Reshape($"{name}_split_heads", t, 0, 0, heads, hd), 0, 2, 1, 3);  // (B, H, S, hd)
            var qh = Rope(ops, "rope_q", Heads("q", q), shared, hd);
            key = Rope(ops, "rope_k", Heads("k", k), shared, hd);
            value = Heads("v", v);
            if (past is { } cached)
            {
                key = ops.Concat("cached_keys", 2, cached.Key, key);                                                                  // (B, H, P + S, hd)
                value = ops.Concat("cached_values", 2, cached.Value, value);
            }
            var scores = ops.Div("scale", ops.MatMul("qk", qh, ops.Transpose("k_t", key, 0, 1, 3, 2)), g.Scalar((float)Math.Sqrt(hd)));
            probs = ops.Softmax("softmax", ops.Add("mask", scores, shared.AdditiveMask));                                          // (B, H, S, P + S)
            var pv = ops.MatMul("pv", probs, value);
            y = ops.Reshape("merge_heads", ops.Transpose("heads_last", pv, 0, 2, 1, 3), 0, 0, d);                                 // (B, S, D)
        }
        return new AttentionValues(ops.Linear("o_proj", y, w.ParamTransposed(g, $"{p}.self_attn.o_proj.weight"), null), probs, key, value);
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
