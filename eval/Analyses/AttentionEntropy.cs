using Pipeline.Runtime;

namespace Pipeline.Eval;

/// <summary>
/// The paper's Table 4: how spread out a text token's attention over the vision tokens is.
/// For one query row, the probabilities on the image span [imageStart, imageStart + M) are
/// renormalised to sum to 1 (attention to text and to the sink does not count), H = −Σ p ln p, and
/// H / ln M is reported so that 1 means uniform over the image and 0 means one vision token.
/// </summary>
public static class AttentionEntropy
{
    /// <summary>
    /// Normalised entropy of one attention row restricted to the image span.
    /// M = 1 returns 0: a single vision token can only be attended to fully, so there is no spread
    /// (0 / ln 1 is otherwise undefined).
    /// </summary>
    /// <param name="row">Attention probabilities of one query over the whole spliced sequence.</param>
    /// <param name="imageStart">Index of the first vision token in the sequence.</param>
    /// <param name="imageLength">M, the number of vision tokens.</param>
    /// <exception cref="ArgumentException">The span is outside the row, a probability is negative or
    /// NaN, or the span holds no attention mass (renormalising would divide by zero).</exception>
    public static double Normalized(ReadOnlySpan<float> row, int imageStart, int imageLength)
    {
        if (imageLength < 1 || imageStart < 0 || imageStart + imageLength > row.Length)
            throw new ArgumentException($"Image span [{imageStart}, {imageStart + imageLength}) does not fit a row of {row.Length}.");
        var span = row.Slice(imageStart, imageLength);
        double mass = 0;
        foreach (float p in span)
        {
            if (!(p >= 0))
                throw new ArgumentException($"Attention probability {p} is negative or NaN.");
            mass += p;
        }
        if (mass <= 0)
            throw new ArgumentException($"The image span [{imageStart}, {imageStart + imageLength}) holds no attention mass; is the query before the image?");
        if (imageLength == 1)
            return 0;
        double h = 0;
        foreach (float a in span)
        {
            if (a == 0)
                continue;  // lim p→0 of p ln p = 0
            double p = a / mass;
            h -= p * Math.Log(p);
        }
        return h / Math.Log(imageLength);
    }

    /// <summary>
    /// Per batch row: the mean of <see cref="Normalized"/> over every layer, every head and every
    /// query position of that row (the paper averages over heads and layers).
    /// </summary>
    /// <param name="layers">One float32 tensor (B, H, S, S) per decoder layer: softmax probabilities,
    /// query on the third axis, key on the fourth.</param>
    /// <param name="imageStarts">Per row, the index of its first vision token (rows may be padded differently).</param>
    /// <param name="imageLength">M, the number of vision tokens (the same for every row of one model).</param>
    /// <param name="queryPositions">Per row, the query positions to average, e.g. the position that
    /// predicts the first answer token, or every text position after the image span.</param>
    /// <returns>B values in [0, 1].</returns>
    public static double[] PerRow(IReadOnlyList<HostTensor> layers, IReadOnlyList<int> imageStarts, int imageLength, IReadOnlyList<IReadOnlyList<int>> queryPositions)
    {
        var (b, heads, s) = CheckBatch(layers, imageStarts, queryPositions);
        var result = new double[b];
        for (int r = 0; r < b; r++)
        {
            var queries = queryPositions[r];
            if (queries.Count == 0)
                throw new ArgumentException($"Row {r} has no query positions.", nameof(queryPositions));
            foreach (int q in queries)
                if (q < imageStarts[r] + imageLength || q >= s)
                    throw new ArgumentException($"Query position {q} of row {r} is not a text position after the image span [{imageStarts[r]}, {imageStarts[r] + imageLength}) in a sequence of {s}.", nameof(queryPositions));
            double sum = 0;
            foreach (var layer in layers)
                for (int h = 0; h < heads; h++)
                    foreach (int q in queries)
                        sum += Normalized(Row(layer, r, h, q, heads, s), imageStarts[r], imageLength);
            result[r] = sum / (layers.Count * heads * queries.Count);
        }
        return result;
    }

    /// <summary>
    /// Per batch row, Table 4 the paper's way (§7.2: "We average all text tokens' attention over the
    /// vision tokens to compute the entropy"), as the authors' code does it: for each layer and
    /// query, the heads' mean attention row with the start token (position 0) dropped and the rest
    /// renormalised; those rows averaged over layers and queries; the average restricted to the
    /// image span and renormalised; H / ln M. One entropy of an averaged distribution, where
    /// <see cref="PerRow"/> averages per-(layer, head, query) entropies: the entropy of a mixture is
    /// at least the (mass-weighted) mean of its parts' entropies, so this one is usually higher.
    /// </summary>
    public static double[] PaperStyle(IReadOnlyList<HostTensor> layers, IReadOnlyList<int> imageStarts, int imageLength, IReadOnlyList<IReadOnlyList<int>> queryPositions)
    {
        var (b, heads, s) = CheckBatch(layers, imageStarts, queryPositions);
        var result = new double[b];
        var mean = new double[s];
        var averaged = new float[s];
        for (int r = 0; r < b; r++)
        {
            var queries = queryPositions[r];
            if (queries.Count == 0)
                throw new ArgumentException($"Row {r} has no query positions.", nameof(queryPositions));
            Array.Clear(averaged);
            foreach (var layer in layers)
                foreach (int q in queries)
                {
                    if (q < imageStarts[r] + imageLength || q >= s)
                        throw new ArgumentException($"Query position {q} of row {r} is not a text position after the image span [{imageStarts[r]}, {imageStarts[r] + imageLength}) in a sequence of {s}.", nameof(queryPositions));
                    Array.Clear(mean);
                    for (int h = 0; h < heads; h++)
                    {
                        var row = Row(layer, r, h, q, heads, s);
                        for (int k = 1; k < s; k++) mean[k] += row[k];  // the start token (k = 0) dropped
                    }
                    double rest = mean.Sum();
                    if (rest <= 0) continue;  // all attention on the start token: nothing left to spread
                    for (int k = 1; k < s; k++) averaged[k] += (float)(mean[k] / rest / (layers.Count * queries.Count));
                }
            result[r] = Normalized(averaged, imageStarts[r], imageLength);
        }
        return result;
    }

    /// <summary>
    /// Every text position after the image span up to <paramref name="length"/> (exclusive): the
    /// query set "all text tokens after the image" for <see cref="PerRow"/>. <paramref name="length"/>
    /// is the row's real length (without right padding).
    /// </summary>
    public static int[] TextPositionsAfterImage(int imageStart, int imageLength, int length)
    {
        int first = imageStart + imageLength;
        if (imageStart < 0 || imageLength < 1 || length <= first)
            throw new ArgumentException($"No text after the image span [{imageStart}, {first}) in a row of {length}.");
        return Enumerable.Range(first, length - first).ToArray();
    }

    /// <summary>Mean, std and count of per-question entropies, for the Table 4 row of one variant.</summary>
    public static Spread Summarize(IEnumerable<double> perRow) => Spread.Of(perRow);

    /// <summary>The batch's (B, H, S) after checking that every layer has it and every row has an image start and queries.</summary>
    static (int B, int H, int S) CheckBatch(IReadOnlyList<HostTensor> layers, IReadOnlyList<int> imageStarts, IReadOnlyList<IReadOnlyList<int>> queryPositions)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new ArgumentException("No attention layers.", nameof(layers));
        var (b, heads, s) = Dimensions(layers[0]);
        if (layers.Any(l => Dimensions(l) != (b, heads, s)))
            throw new ArgumentException($"Every layer must have the shape of the first, {layers[0].ShapeText}.", nameof(layers));
        if (imageStarts.Count != b || queryPositions.Count != b)
            throw new ArgumentException($"Batch of {b} rows but {imageStarts.Count} image starts and {queryPositions.Count} query lists.");
        return (b, heads, s);
    }

    internal static (int B, int H, int S) Dimensions(HostTensor t)
    {
        if (t.Type != ElementType.Float32 || t.Shape.Length != 4 || t.Shape[2] != t.Shape[3])
            throw new ArgumentException($"Attention must be float32 (B, H, S, S), got {t}.");
        return ((int)t.Shape[0], (int)t.Shape[1], (int)t.Shape[2]);
    }

    internal static ReadOnlySpan<float> Row(HostTensor layer, int b, int h, int q, int heads, int s) =>
        layer.Floats.AsSpan((int)((((long)b * heads + h) * s + q) * s), s);
}
