using Pipeline.Runtime;

namespace Pipeline.Eval;

/// <summary>
/// The attention a text token pays to each vision token, for the maps of Fig. 7: per layer and head
/// renormalised over the image span (as for the entropy), then averaged, so each layer and head
/// counts equally whatever mass it gives to text.
/// </summary>
public static class AttentionMaps
{
    /// <summary>
    /// M weights summing to 1, in token order (row-major over the g×g grid when M = g²).
    /// </summary>
    /// <param name="layers">Per decoder layer, float32 (B, H, S, S) attention probabilities.</param>
    /// <param name="row">Which batch row.</param>
    /// <param name="imageStart">That row's first vision token.</param>
    /// <param name="imageLength">M.</param>
    /// <param name="queryPosition">The text position whose attention is drawn (e.g. the one predicting the answer).</param>
    public static float[] ImageWeights(IReadOnlyList<HostTensor> layers, int row, int imageStart, int imageLength, int queryPosition)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new ArgumentException("No attention layers.", nameof(layers));
        var acc = new double[imageLength];
        int panels = 0;
        foreach (var layer in layers)
        {
            var (b, heads, s) = AttentionEntropy.Dimensions(layer);
            if (row < 0 || row >= b || queryPosition < 0 || queryPosition >= s || imageStart < 0 || imageLength < 1 || imageStart + imageLength > s)
                throw new ArgumentException($"Row {row}, query {queryPosition} or image span [{imageStart}, {imageStart + imageLength}) outside attention {layer}.");
            for (int h = 0; h < heads; h++)
            {
                var span = AttentionEntropy.Row(layer, row, h, queryPosition, heads, s).Slice(imageStart, imageLength);
                double mass = 0;
                foreach (float p in span)
                    mass += p;
                if (!(mass > 0))
                    throw new ArgumentException($"Layer/head {panels}/{h}: no attention mass on the image span at query {queryPosition}.");
                for (int i = 0; i < imageLength; i++)
                    acc[i] += span[i] / mass;
            }
            panels += heads;
        }
        return acc.Select(a => (float)(a / panels)).ToArray();
    }
}
