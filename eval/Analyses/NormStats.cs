namespace Pipeline.Eval;

/// <summary>
/// Summary of L2 norms for Fig. 3. P99 and Median use linear interpolation between closest ranks
/// (NumPy's default percentile), so they match what a Python reader would compute.
/// </summary>
public sealed record NormStats(int Count, double Min, double Median, double Mean, double P99, double Max);
