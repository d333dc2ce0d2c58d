using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Runtime;

/// <summary>
/// Batched greedy decoding on an artifact's language graph: the argmax of the logits at each row's
/// last real token, ties to the lowest id, as the training code's GenerateGreedy, so the two give
/// the same ids wherever the logits agree. With the step graph, the language graph runs once over
/// the right-padded prompts and returns its keys and values; every later step feeds only the
/// tokens generated so far, of the rows still going, against that cache. Without it (artifacts
/// exported before the step graph existed), each step re-reads every row's prompt and tokens.
/// </summary>
/// <remarks>The decoder borrows the sessions; the caller keeps and disposes them.</remarks>
public sealed class OrtGreedyDecoder
{
    readonly OrtGraphSession _language;
    readonly OrtGraphSession? _step;
    readonly (string Present, string Past)[] _cache;

    /// <param name="language">A session on the artifact's language graph (inputs image_embeddings, input_ids, attention_mask; output logits).</param>
    /// <param name="eosId">Generation of a row stops at this id, which is not returned.</param>
    /// <param name="padId">Fills the padded positions (masked out); it must not be the image placeholder's id.</param>
    /// <param name="step">A session on the artifact's step graph, for cached decoding; null decodes without a cache.</param>
    public OrtGreedyDecoder(OrtGraphSession language, long eosId, long padId, OrtGraphSession? step = null)
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
        if (step is null)
        {
            _cache = [];
            return;
        }
        int layers = step.InputNames.Count(n => n.StartsWith("past_key_values.", StringComparison.Ordinal)) / 2;
        _cache = KvCache(layers).ToArray();
        if (layers == 0 || _cache.Any(c => !language.OutputNames.Contains(c.Present) || !step.InputNames.Contains(c.Past))
            || !new[] { InputIds, PositionIds, AttentionMask }.All(step.InputNames.Contains) || !step.OutputNames.Contains(Logits))
            throw new ArgumentException($"{Path.GetFileName(step.Path)} is not a step graph for {Path.GetFileName(language.Path)}: their caches do not match");
        _step = step;
    }

    /// <summary>Whether later steps read a KV cache instead of re-reading the prompts.</summary>
    public bool Cached => _step is not null;

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

        if (_step is not null && maxNewTokens > 0) return GenerateCached(imageEmbeddings, prompts, maxNewTokens);
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
            for (int r = 0; r < b; r++)
            {
                if (done[r]) continue;
                // The row's last real token sits at (its length − 1) + (M − 1) in the spliced sequence.
                if (Take(logits, r, rows[r].Count - 1 + m - 1, generated[r])) rows[r].Add(generated[r][^1]);
                else done[r] = true;
            }
        }
        return generated.Select(g => g.ToArray()).ToArray();
    }

    /// <summary>
    /// One pass of the language graph over the prompts (logits and every layer's keys and values),
    /// then per step the step graph on the rows still going: all of them have generated the same
    /// number of tokens S, which it reads at positions L_r … L_r + S − 1 after their cached real
    /// length L_r, with the cache's padding masked out.
    /// </summary>
    long[][] GenerateCached(HostTensor imageEmbeddings, IReadOnlyList<long[]> prompts, int maxNewTokens)
    {
        int b = prompts.Count;
        long m = imageEmbeddings.Shape[1];
        var (ids, mask) = PromptBatch.PadRight(prompts, PadId);
        long past = ids.Shape[1] + m - 1;
        var first = _language.Run(new Dictionary<string, HostTensor>
        {
            [ImageEmbeddings] = imageEmbeddings,
            [InputIds] = ids,
            [AttentionMask] = mask,
        }, [Logits, .. _cache.Select(c => c.Present)]);
        var logits = first[Logits];
        if (logits.Shape.Length != 3 || logits.Shape[0] != b || logits.Shape[1] != past)
            throw new InvalidDataException($"{Path.GetFileName(_language.Path)} returned logits {logits.ShapeText}; expected ({b}, {past}, vocab)");
        var realLength = prompts.Select(p => p.Length + m - 1).ToArray();
        var generated = prompts.Select(_ => new List<long>(maxNewTokens)).ToArray();
        // The rows still going, and the cache holding exactly their rows in this order; keep lists
        // the positions in `going` of the rows whose newest token was not EOS.
        int[] going = Enumerable.Range(0, b).ToArray();
        var cache = _cache.Select(c => first[c.Present]).ToArray();   // (B, H, P, hd) each
        var keep = going.Where(r => Take(logits, r, realLength[r] - 1, generated[r])).ToArray();
        for (int count = 1; count < maxNewTokens && keep.Length > 0; count++)
        {
            if (keep.Length < going.Length)
            {
                going = keep.Select(a => going[a]).ToArray();
                cache = cache.Select(c => HostRows.Gather(c, keep)).ToArray();
            }
            var feeds = StepInputs(going.Select(r => generated[r].ToArray()).ToArray(), going.Select(r => realLength[r]).ToArray(), past);
            for (int i = 0; i < cache.Length; i++) feeds[_cache[i].Past] = cache[i];
            var next = _step!.Run(feeds, [Logits])[Logits];   // (A, S, V)
            if (next.Shape.Length != 3 || next.Shape[0] != going.Length || next.Shape[1] != count)
                throw new InvalidDataException($"{Path.GetFileName(_step.Path)} returned logits {next.ShapeText}; expected ({going.Length}, {count}, vocab)");
            keep = Enumerable.Range(0, going.Length).Where(a => Take(next, a, count - 1, generated[going[a]])).ToArray();
        }
        return generated.Select(g => g.ToArray()).ToArray();
    }

    /// <summary>
    /// The step graph's token inputs: per row its new tokens (every row the same count), their
    /// positions after the row's real length in the cached sequence, and a mask over the
    /// <paramref name="past"/> cached positions (the prompt's padding masked out) and the new tokens.
    /// </summary>
    /// <param name="tokens">Per row, the tokens generated so far.</param>
    /// <param name="realLength">Per row, its real length in the cached spliced sequence (prompt length + M − 1).</param>
    /// <param name="past">The cache's length P, padding included.</param>
    public static Dictionary<string, HostTensor> StepInputs(IReadOnlyList<long[]> tokens, IReadOnlyList<long> realLength, long past)
    {
        int a = tokens.Count, count = tokens[0].Length;
        if (tokens.Any(t => t.Length != count)) throw new ArgumentException("every row needs the same number of new tokens", nameof(tokens));
        var ids = new long[a * count];
        var positions = new long[a * count];
        var mask = new long[a * (past + count)];
        for (int i = 0; i < a; i++)
        {
            for (int s = 0; s < count; s++)
            {
                ids[i * count + s] = tokens[i][s];
                positions[i * count + s] = realLength[i] + s;
            }
            long offset = i * (past + count);
            for (long j = 0; j < past + count; j++) mask[offset + j] = j < realLength[i] || j >= past ? 1 : 0;
        }
        return new Dictionary<string, HostTensor>
        {
            [InputIds] = HostTensor.Int64([a, count], ids),
            [PositionIds] = HostTensor.Int64([a, count], positions),
            [AttentionMask] = HostTensor.Int64([a, past + count], mask),
        };
    }

    /// <summary>
    /// Appends the argmax at (row, position) of (rows, positions, V) logits to <paramref name="generated"/>
    /// unless it is EOS; true while the row goes on.
    /// </summary>
    bool Take(HostTensor logits, int row, long position, List<long> generated)
    {
        long length = logits.Shape[1], vocab = logits.Shape[2];
        long next = ArgMax(logits.Floats.AsSpan((int)((row * length + position) * vocab), (int)vocab));
        if (next == EosId) return false;
        generated.Add(next);
        return true;
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
