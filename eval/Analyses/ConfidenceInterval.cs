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

    // Student's t at 0.975 for 1–30 degrees of freedom (standard tables); beyond, the
    // Cornish–Fisher expansion around the normal quantile, within 1e-4 of the exact value.
    static readonly double[] T975 =
    [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ];

    /// <summary>The 0.975 quantile of Student's t with <paramref name="df"/> degrees of freedom.</summary>
    public static double TQuantile975(int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        if (df <= T975.Length) return T975[df - 1];
        const double z = 1.959963984540054;
        double z3 = z * z * z, z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }
}
