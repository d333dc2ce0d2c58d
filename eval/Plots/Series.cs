namespace Pipeline.Eval.Plots;

/// <summary>One line of a chart.</summary>
public sealed record Series(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);
