namespace Pipeline.Eval;

/// <summary>What a claim of the paper says about a measured difference.</summary>
public enum ClaimKind
{
    /// <summary>The difference is positive (e.g. "+Normalize helps": norm − baseline &gt; 0).</summary>
    Increase,
    /// <summary>The difference is negative (e.g. "shuffling hurts spatial questions": permuted − unpermuted &lt; 0).</summary>
    Decrease,
    /// <summary>The difference is about zero, within a tolerance (e.g. "permutation barely hurts semantic questions").</summary>
    NearZero,
}

/// <summary>
/// The verdict on a claim at the power of the study that measured it. Not testable: the models
/// cannot show the effect whatever the adapter does (e.g. no variant answers the relative
/// questions above chance, so no gain on them can appear), so the interval says nothing about it.
/// </summary>
public enum Verdict { Reproduced, NotReproduced, Inconclusive, NotTestable }

/// <summary>What a claim's interval is in: accuracy as a fraction (shown in points), a log10 ratio (shown as a factor), or the quantity itself.</summary>
public enum ClaimUnit { Fraction, Log10Ratio, Raw }

/// <summary>One row of the claims table: the paper's claim, its number, ours with its interval, and the verdict that follows; <paramref name="Why"/> says why a claim is not testable.</summary>
public sealed record ClaimResult(string Claim, string Paper, ConfidenceInterval Ours, Verdict Verdict, ClaimUnit Unit = ClaimUnit.Fraction, string? Why = null);

/// <summary>
/// The verdict logic of the claims table. A verdict follows from the 95% interval of our
/// difference alone: a claimed increase is reproduced when the whole interval lies above zero,
/// not reproduced when it lies at or below zero, and inconclusive when it straddles zero; a claimed
/// near-zero effect is reproduced when the whole interval lies within ±tolerance, not reproduced
/// when it lies wholly outside, inconclusive otherwise.
/// </summary>
public static class Claims
{
    public static Verdict Judge(ClaimKind kind, ConfidenceInterval ours, double tolerance = 0)
    {
        if (tolerance < 0) throw new ArgumentOutOfRangeException(nameof(tolerance), "A tolerance is a distance: zero or more.");
        return kind switch
        {
            ClaimKind.Increase => ours.Low > 0 ? Verdict.Reproduced : ours.High <= 0 ? Verdict.NotReproduced : Verdict.Inconclusive,
            ClaimKind.Decrease => ours.High < 0 ? Verdict.Reproduced : ours.Low >= 0 ? Verdict.NotReproduced : Verdict.Inconclusive,
            ClaimKind.NearZero => ours.Low >= -tolerance && ours.High <= tolerance ? Verdict.Reproduced
                : ours.High < -tolerance || ours.Low > tolerance ? Verdict.NotReproduced
                : Verdict.Inconclusive,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>
    /// An ordering claim over several quantities (e.g. Table 4's entropy: norm &gt; baseline &gt;
    /// norm-multilayer), judged on the paired differences of each adjacent pair, highest first:
    /// reproduced when every difference is reproduced as an increase, not reproduced when any is
    /// reversed, inconclusive otherwise.
    /// </summary>
    public static Verdict JudgeOrder(IReadOnlyList<ConfidenceInterval> adjacentDifferences)
    {
        if (adjacentDifferences.Count == 0) throw new ArgumentException("An order needs at least one pair.", nameof(adjacentDifferences));
        var verdicts = adjacentDifferences.Select(d => Judge(ClaimKind.Increase, d)).ToArray();
        return verdicts.Contains(Verdict.NotReproduced) ? Verdict.NotReproduced
            : verdicts.All(v => v == Verdict.Reproduced) ? Verdict.Reproduced
            : Verdict.Inconclusive;
    }
}
