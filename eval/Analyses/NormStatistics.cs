using Pipeline.Runtime;

namespace Pipeline.Eval;

/// <summary>
/// L2 norms of vision tokens (after the projector / adapter) against text-token embeddings: the
/// paper's Fig. 3 and the reason for the norm adapter.
/// </summary>
public static class NormStatistics
{
    /// <summary>The L2 norm of every vector along the last axis of a float32 tensor (…, D), row-major.</summary>
    public static double[] RowNorms(HostTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Type != ElementType.Float32 || x.Shape.Length == 0 || x.Shape[^1] == 0)
            throw new ArgumentException($"Expected float32 (..., D) with D > 0, got {x}.", nameof(x));
        int d = (int)x.Shape[^1];
        var data = x.Floats;
        var norms = new double[data.Length / d];
        for (int r = 0; r < norms.Length; r++)
        {
            double sum = 0;
            for (int i = r * d, end = i + d; i < end; i++)
                sum += (double)data[i] * data[i];
            norms[r] = Math.Sqrt(sum);
        }
        return norms;
    }

    /// <exception cref="ArgumentException">No values or a NaN among them.</exception>
    public static NormStats Compute(IEnumerable<double> norms)
    {
        ArgumentNullException.ThrowIfNull(norms);
        var v = norms.ToArray();
        if (v.Length == 0)
            throw new ArgumentException("No norms to summarise.", nameof(norms));
        if (v.Any(double.IsNaN))
            throw new ArgumentException("A norm is NaN.", nameof(norms));
        Array.Sort(v);
        return new NormStats(v.Length, v[0], Percentile(v, 50), v.Average(), Percentile(v, 99), v[^1]);
    }

    /// <summary>Linear interpolation at rank p/100 × (n − 1) of sorted values (NumPy "linear").</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0 || p < 0 || p > 100)
            throw new ArgumentException($"Percentile {p} of {sorted.Count} values.");
        double rank = p / 100 * (sorted.Count - 1);
        int lo = (int)Math.Floor(rank), hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Vision mean norm / text mean norm: the number the training report prints (EvalResult.NormRatio).</summary>
    public static double MeanRatio(NormStats vision, NormStats text) => vision.Mean / text.Mean;

    /// <summary>Vision median norm / text mean norm: robust to a few huge outlier tokens (the paper's "massive" tokens).</summary>
    public static double MedianRatio(NormStats vision, NormStats text) => vision.Median / text.Mean;
}
