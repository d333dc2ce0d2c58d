using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Runtime;

/// <summary>
/// Batched greedy decoding on an artifact's language graph, without a KV cache (at this scale
/// recomputing the prefix is cheap): each step feeds every row's prompt and the tokens generated
/// so far, right-padded to the longest with an attention mask, and appends the argmax of the
/// logits at the row's last real token. Mirrors the training code's GenerateGreedy step for step
/// (finished rows stay in the batch, ties go to the lowest id), so the two give the same ids
/// wherever the logits agree.
/// </summary>
/// <remarks>The decoder borrows the session; the caller keeps and disposes it.</remarks>
public sealed class OrtGreedyDecoder
{
    readonly OrtGraphSession _language;

    /// <param name="language">A session on the artifact's language graph (inputs image_embeddings, input_ids, attention_mask; output logits).</param>
    /// <param name="eosId">Generation of a row stops at this id, which is not returned.</param>
    /// <param name="padId">Fills the padded positions (masked out); it must not be the image placeholder's id.</param>
    public OrtGreedyDecoder(OrtGraphSession language, long eosId, long padId)
    {
        ArgumentNullException.ThrowIfNull(language);
        foreach (var name in new[] { ImageEmbeddings, InputIds, AttentionMask })
            if (!language.InputNames.Contains(name))
                throw new ArgumentException($"{Path.GetFileName(language.Path)} has no input '{name}': it is not an artifact's language graph");
        if (!language.OutputNames.Contains(Logits))
            throw new ArgumentException($"{Path.GetFileName(language.Path)} has no output '{Logits}': it is not an artifact's language graph");
        _language = language;
        EosId = eosId;
        PadId = padId;
    }

    public long EosId { get; }

    public long PadId { get; }

    /// <param name="imageEmbeddings">(B, M, D) float32: the vision graph's image_embeddings, one row per prompt.</param>
    /// <param name="prompts">B prompts of token ids, each with exactly one image placeholder, unpadded.</param>
    /// <param name="maxNewTokens">At most this many tokens per row.</param>
    /// <returns>Per row, the generated ids up to (not including) EOS.</returns>
    public long[][] Generate(HostTensor imageEmbeddings, IReadOnlyList<long[]> prompts, int maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(imageEmbeddings);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        if (imageEmbeddings.Type != ElementType.Float32 || imageEmbeddings.Shape.Length != 3)
            throw new ArgumentException($"image embeddings must be float32 (batch, tokens, width), not {imageEmbeddings}", nameof(imageEmbeddings));
        int b = prompts.Count;
        if (imageEmbeddings.Shape[0] != b)
            throw new ArgumentException($"{b} prompts but image embeddings for {imageEmbeddings.Shape[0]} rows", nameof(prompts));
        if (prompts.Any(p => p is null || p.Length == 0)) throw new ArgumentException("every prompt needs at least one token (the image placeholder)", nameof(prompts));

        long m = imageEmbeddings.Shape[1];
        var rows = prompts.Select(p => new List<long>(p.Length + maxNewTokens)).ToArray();
        for (int r = 0; r < b; r++) rows[r].AddRange(prompts[r]);
        var generated = prompts.Select(_ => new List<long>(maxNewTokens)).ToArray();
        var done = new bool[b];

        for (int step = 0; step < maxNewTokens && !done.All(d => d); step++)
        {
            var (ids, mask) = PromptBatch.PadRight(rows, PadId);
            int width = (int)ids.Shape[1];
            var logits = _language.Run(new Dictionary<string, HostTensor>
            {
                [ImageEmbeddings] = imageEmbeddings,
                [InputIds] = ids,
                [AttentionMask] = mask,
            }, [Logits])[Logits];
            long length = width + m - 1;
            if (logits.Shape.Length != 3 || logits.Shape[0] != b || logits.Shape[1] != length)
                throw new InvalidDataException($"{Path.GetFileName(_language.Path)} returned logits {logits.ShapeText}; expected ({b}, {length}, vocab)");
            int vocab = (int)logits.Shape[2];
            for (int r = 0; r < b; r++)
            {
                if (done[r]) continue;
                // The row's last real token sits at (its length − 1) + (M − 1) in the spliced sequence.
                long position = rows[r].Count - 1 + m - 1;
                long next = ArgMax(logits.Floats.AsSpan((int)((r * length + position) * vocab), vocab));
                if (next == EosId)
                {
                    done[r] = true;
                    continue;
                }
                rows[r].Add(next);
                generated[r].Add(next);
            }
        }
        return generated.Select(g => g.ToArray()).ToArray();
    }

    /// <summary>The first index of the largest value, a NaN counting as largest (torch.argmax's rule).</summary>
    static long ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (float.IsNaN(values[best])) break;
            if (float.IsNaN(values[i]) || values[i] > values[best]) best = i;
        }
        return best;
    }
}
