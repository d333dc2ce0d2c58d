using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// What the decoder returns: logits, final hidden states (after the final norm), attentions if asked,
/// and every layer's keys (after RoPE) and values, (B, H, T, hd) each: what a KV cache would hold.
/// </summary>
public sealed record LanguageModelOutput(Tensor Logits, Tensor HiddenStates, IReadOnlyList<Tensor>? Attentions, IReadOnlyList<(Tensor Key, Tensor Value)> KeyValues);

/// <summary>LLaMA-style decoder over input embeddings, so that image tokens can be spliced in first.</summary>
public sealed class LanguageModel : nn.Module<Tensor, Tensor, Tensor?, bool, LanguageModelOutput>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderBlock> layers;
    private readonly RmsNorm norm;
    private readonly Linear lm_head;
    private readonly int max_seq_len;

    public LanguageModel(LanguageConfig config) : base(nameof(LanguageModel))
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.Width);
        layers = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(_ => new DecoderBlock(config)).ToArray());
        norm = new RmsNorm(config.Width);
        lm_head = nn.Linear(config.Width, config.VocabSize, hasBias: false);
        max_seq_len = config.MaxSeqLen;
        RegisterComponents();
        Init.ApplyGpt(this);
    }

    /// <summary>The token embedding table (V, D); its row norms set the norm adapter's constants.</summary>
    public Tensor EmbeddingWeight => embed_tokens.weight ?? throw new InvalidOperationException("The embedding has no weight.");

    /// <param name="ids">(B, T) int64</param>
    /// <returns>(B, T, D)</returns>
    public Tensor EmbedTokens(Tensor ids) => embed_tokens.call(ids);

    /// <param name="inputsEmbeds">(B, T, D)</param>
    /// <param name="positionIds">(B, T) int64</param>
    /// <param name="attentionMask">(B, T), 1 = real token, 0 = padding; or a full (B, 1, T, T) mask; null = all real.</param>
    /// <param name="outputAttentions">Also return each layer's attention probabilities (B, H, T, T).</param>
    public override LanguageModelOutput forward(Tensor inputsEmbeds, Tensor positionIds, Tensor? attentionMask, bool outputAttentions)
    {
        if (inputsEmbeds.shape[1] > max_seq_len)
            throw new ArgumentException($"Sequence of {inputsEmbeds.shape[1]} tokens exceeds MaxSeqLen {max_seq_len}.", nameof(inputsEmbeds));
        var x = inputsEmbeds;                                       // (B, T, D)
        var attentions = outputAttentions ? new List<Tensor>(layers.Count) : null;
        var keyValues = new List<(Tensor, Tensor)>(layers.Count);
        foreach (var layer in layers)
        {
            (x, var probs, var key, var value) = layer.call(x, positionIds, attentionMask, outputAttentions);
            if (probs is not null) attentions!.Add(probs);
            keyValues.Add((key, value));
        }
        var hidden = norm.call(x);                                  // (B, T, D)
        return new LanguageModelOutput(lm_head.call(hidden), hidden, attentions, keyValues);  // logits (B, T, V)
    }
}
