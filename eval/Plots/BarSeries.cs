namespace Pipeline.Eval.Plots;

/// <summary>
/// One variant's bars, one value per group, as fractions in [0, 1]; null where there is no value
/// (the paper's numbers when they could not be retrieved, a category without questions).
/// </summary>
public sealed record BarSeries(string Label, IReadOnlyList<double?> Values);
