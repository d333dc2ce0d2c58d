namespace Pipeline.Runtime;

/// <summary>
/// Polygraphy's rule: an element fails only where |actual − expected| exceeds both
/// <see cref="Atol"/> and <see cref="Rtol"/> × |expected|.
/// </summary>
public sealed record Tolerance(double Atol = Tolerance.DefaultAtol, double Rtol = Tolerance.DefaultRtol)
{
    public const double DefaultAtol = 1e-4, DefaultRtol = 1e-3;

    public static Tolerance Default { get; } = new();

    public bool Accepts(double actual, double expected)
    {
        if (double.IsNaN(actual) || double.IsNaN(expected)) return double.IsNaN(actual) && double.IsNaN(expected);
        if (actual == expected) return true;  // equal infinities included
        if (double.IsInfinity(actual) || double.IsInfinity(expected)) return false;
        double diff = Math.Abs(actual - expected);
        return diff <= Atol || diff <= Rtol * Math.Abs(expected);
    }
}

/// <summary>One output compared: the largest absolute and relative differences and how many elements failed.</summary>
/// <param name="MaxRel">Largest |a − e| / |e| over elements with e ≠ 0 (elements with e = 0 are judged by atol alone).</param>
public sealed record ParityRow(string Name, string Shape, double MaxAbs, double MaxRel, long Mismatches, long Count, string? Problem = null)
{
    public bool Passed => Problem is null && Mismatches == 0;
}

public static class TensorComparison
{
    public static ParityRow Compare(string name, HostTensor actual, HostTensor expected, Tolerance tolerance)
    {
        if (actual.Type != expected.Type)
            return new ParityRow(name, expected.ShapeText, double.NaN, double.NaN, expected.Count, expected.Count, $"type {actual.Type.ToName()}, expected {expected.Type.ToName()}");
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return new ParityRow(name, expected.ShapeText, double.NaN, double.NaN, expected.Count, expected.Count, $"shape {actual.ShapeText}, expected {expected.ShapeText}");
        double maxAbs = 0, maxRel = 0;
        long mismatches = 0;
        for (long i = 0; i < expected.Count; i++)
        {
            double a = actual.At(i), e = expected.At(i);
            if (!tolerance.Accepts(a, e)) mismatches++;
            double diff = Math.Abs(a - e);
            if (double.IsNaN(diff)) continue;  // NaNs are counted as mismatches above, not as differences
            maxAbs = Math.Max(maxAbs, diff);
            if (e != 0) maxRel = Math.Max(maxRel, diff / Math.Abs(e));
        }
        return new ParityRow(name, expected.ShapeText, maxAbs, maxRel, mismatches, expected.Count);
    }
}
