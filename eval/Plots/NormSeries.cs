namespace Pipeline.Eval.Plots;

/// <summary>One distribution of L2 norms (vision tokens after the projector, after the adapter, text embeddings).</summary>
public sealed record NormSeries(string Label, IReadOnlyList<double> Norms);
