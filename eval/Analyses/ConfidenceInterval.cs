namespace Pipeline.Eval;

/// <summary>
/// A mean with its 95% confidence interval (Student's t, n − 1 degrees of freedom): for a
/// variant's accuracy over seeds, or for the paired difference of two variants trained on the same
/// seeds (the seed-to-seed swings they share cancel). With one value there is no interval.
/// </summary>
public sealed record ConfidenceInterval(int Count, double Mean, double Std, double Low, double High)
{
    /// <summary>The interval of the mean of <paramref name="values"/>; n = 1 gives (−∞, +∞): one seed says nothing about the spread.</summary>
    public static ConfidenceInterval Of(IReadOnlyList<double> values)
    {
        var s = Spread.Of(values);
        if (s.Count == 1) return new ConfidenceInterval(1, s.Mean, 0, double.NegativeInfinity, double.PositiveInfinity);
        double half = TQuantile975(s.Count - 1) * s.Std / Math.Sqrt(s.Count);
        return new ConfidenceInterval(s.Count, s.Mean, s.Std, s.Mean - half, s.Mean + half);
    }

    /// <summary>The interval of the per-seed differences a[i] − b[i]; the two lists must pair seed for seed.</summary>
    public static ConfidenceInterval PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"{a.Count} values paired with {b.Count}: the two variants must share their seeds.");
        return Of(a.Zip(b, (x, y) => x - y).ToArray());
    }

    public bool Contains(double x) => Low <= x && x <= High;

    /// <summary>The 0.975 quantile of Student's t with <paramref name="df"/> degrees of freedom (MathNet.Numerics).</summary>
    public static double TQuantile975(int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        return MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, 0.975);
    }
}
