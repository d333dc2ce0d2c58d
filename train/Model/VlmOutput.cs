using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>What the VLM's forward returns besides logits.</summary>
/// <param name="OutputAttentions">Every LM layer's attention probabilities (memory: L × (B, H, L, L)).</param>
/// <param name="OutputIntermediates">Embeddings, hidden states and, from pixels, encoder and projector outputs.</param>
public sealed record VlmOptions(bool OutputAttentions = false, bool OutputIntermediates = false)
{
    public static VlmOptions None { get; } = new();

    public static VlmOptions All { get; } = new(true, true);
}

/// <summary>
/// The VLM's output over the spliced sequence of L = T + M - 1 tokens (text before the placeholder,
/// M image tokens, text after). Optional members are null unless the options asked for them.
/// </summary>
/// <param name="Logits">(B, L, V)</param>
/// <param name="AttentionMask">(B, L) int64, 1 = real token (image tokens are real).</param>
/// <param name="PositionIds">(B, L) int64, 0..L-1 in every row.</param>
/// <param name="ImageStart">(B) int64: index of the first image token in each row.</param>
/// <param name="NumImageTokens">M</param>
public sealed record VlmOutput(Tensor Logits, Tensor AttentionMask, Tensor PositionIds, Tensor ImageStart, long NumImageTokens)
{
    /// <summary>(B, N, Dv) baseline feature or (B, N, 4·Dv) multilayer concat; only from pixels.</summary>
    public Tensor? EncoderFeatures { get; init; }

    /// <summary>(B, N, Dl) projector output, before the norm adapter; only from pixels.</summary>
    public Tensor? ProjectorOutput { get; init; }

    /// <summary>(B, N, Dl) after the norm adapter, before pooling; null without a norm adapter; only from pixels.</summary>
    public Tensor? AdapterOutput { get; init; }

    /// <summary>(B, M, Dl) the image tokens as spliced; only from pixels (otherwise the caller holds them).</summary>
    public Tensor? ImageEmbeddings { get; init; }

    /// <summary>(B, T, Dl) embeddings of the input ids (the placeholder's row included).</summary>
    public Tensor? TextEmbeddings { get; init; }

    /// <summary>(B, L, Dl) after the LM's final norm.</summary>
    public Tensor? HiddenStates { get; init; }

    /// <summary>One (B, H, L, L) per LM layer.</summary>
    public IReadOnlyList<Tensor>? Attentions { get; init; }

    /// <summary>Per LM layer, its keys (after RoPE) and values over the spliced sequence, (B, H, L, hd) each: a KV cache's content.</summary>
    public IReadOnlyList<(Tensor Key, Tensor Value)>? KeyValues { get; init; }

    /// <summary>Every tensor of this output, each once.</summary>
    public IEnumerable<Tensor> Tensors()
    {
        Tensor?[] all = [Logits, AttentionMask, PositionIds, ImageStart, EncoderFeatures, ProjectorOutput, AdapterOutput, ImageEmbeddings, TextEmbeddings, HiddenStates];
        return all.Concat(Attentions ?? []).Concat((KeyValues ?? []).SelectMany(kv => new[] { kv.Key, kv.Value })).OfType<Tensor>().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();
    }

    /// <summary>Moves every tensor to the outer dispose scope once (a shared tensor moved twice would skip a scope).</summary>
    public VlmOutput MoveToOuterDisposeScope()
    {
        foreach (var t in Tensors()) t.MoveToOuterDisposeScope();
        return this;
    }
}
