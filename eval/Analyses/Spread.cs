namespace Pipeline.Eval;

/// <summary>
/// Mean and spread of a sample (entropies of many questions, accuracy deltas of several seeds).
/// <see cref="Std"/> is the sample standard deviation (n − 1 in the denominator) because the values
/// are draws (seeds, questions) from a larger population; it is 0 for a single value.
/// </summary>
public sealed record Spread(int Count, double Mean, double Std, double Min, double Max)
{
    /// <exception cref="ArgumentException">No values, or a NaN among them (a NaN would silently poison the mean).</exception>
    public static Spread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.ToArray();
        if (v.Length == 0)
            throw new ArgumentException("A spread needs at least one value.", nameof(values));
        if (v.Any(double.IsNaN))
            throw new ArgumentException("A spread of values containing NaN is undefined.", nameof(values));
        double mean = v.Average();
        double std = v.Length == 1 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new Spread(v.Length, mean, std, v.Min(), v.Max());
    }
}
