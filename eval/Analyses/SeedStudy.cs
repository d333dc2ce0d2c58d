using Pipeline.Data;
using Pipeline.Eval.Study;

namespace Pipeline.Eval;

/// <summary>One training seed's evaluations, keyed by variant (baseline, norm, norm-multilayer, and pooled ones such as baseline-pool1), and how each one's stage 2 ended.</summary>
public sealed record SeedEvaluations(int Seed, IReadOnlyDictionary<string, VariantEvaluation> Variants, IReadOnlyDictionary<string, Stage2Run>? Stage2 = null);

/// <summary>
/// How a stage 2 ended: the step it stopped at (of at most <see cref="Cap"/>), whether at its
/// validation plateau, and its curve. It crossed its phase change when the relative questions rose
/// clearly above chance (yes/no: 50%) at some checkpoint.
/// </summary>
public sealed record Stage2Run(int Step, int Cap, bool Plateaued, IReadOnlyList<Stage2Point> Curve)
{
    /// <summary>How far above chance the relative questions must get to count as learned: 10 points over 50%.</summary>
    public const double CrossedAt = 0.60;

    public double? BestRelative => Curve.Count == 0 ? null : Curve.Max(p => p.Relative);

    public bool? Crossed => BestRelative is double r ? r >= CrossedAt : null;
}

/// <summary>A variant's headline numbers, one value per seed in seed order (fractions; accuracy deltas in fractions too).</summary>
public sealed record VariantOverSeeds(
    string Variant,
    IReadOnlyList<double> Overall,
    IReadOnlyList<double> Absolute,
    IReadOnlyList<double> Relative,
    IReadOnlyList<double>? Semantic,
    IReadOnlyList<double>? PermutationDelta,
    IReadOnlyList<double>? SemanticPermutationDelta,
    IReadOnlyList<double>? Entropy,
    IReadOnlyList<double> NormRatio)
{
    public ConfidenceInterval OverallInterval => ConfidenceInterval.Of(Overall);
}

/// <summary>A paired difference between two variants over the seeds they share: <see cref="Interval"/> of (A − B) per seed.</summary>
public sealed record PairedDifference(string A, string B, string Quantity, ConfidenceInterval Interval);

/// <summary>What a study over seeds found: per variant, the paired differences, and the paper's claims judged.</summary>
/// <param name="NotMeasured">Claims this study has no measurement for, with the reason.</param>
public sealed record SeedStudyResult(
    IReadOnlyList<int> Seeds,
    IReadOnlyList<VariantOverSeeds> Variants,
    IReadOnlyList<PairedDifference> Differences,
    IReadOnlyList<ClaimResult> Claims,
    IReadOnlyList<string> NotMeasured);

/// <summary>
/// The study over seeds: every variant trained and evaluated once per seed on the same foundation
/// models and data, so that the paired differences between variants cancel what a seed does to
/// all of them; each claim of the paper gets a verdict from its 95% interval (<see cref="Claims.Judge"/>).
/// One seed gives numbers but no interval, so every verdict is then inconclusive.
/// </summary>
public static class SeedStudy
{
    public const string Baseline = "baseline", Norm = "norm", NormMultilayer = "norm-multilayer";

    /// <summary>How close to zero "barely hurts" is: the paper's largest Table 1 drop (GQA, −2.74 points), rounded up.</summary>
    public const double NearZeroTolerance = 0.03;

    public static SeedStudyResult Analyse(IReadOnlyList<SeedEvaluations> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("A study over seeds needs at least one seed.", nameof(runs));
        if (runs.Select(r => r.Seed).Distinct().Count() != runs.Count) throw new ArgumentException("A seed appears twice: it would count double.", nameof(runs));
        var names = runs[0].Variants.Keys.Where(v => runs.All(r => r.Variants.ContainsKey(v))).ToArray();
        var variants = names.Where(n => !n.Contains("-pool", StringComparison.Ordinal)).Select(n => Summarize(n, runs.Select(r => r.Variants[n]).ToArray())).ToArray();
        var byName = variants.ToDictionary(v => v.Variant);

        var differences = new List<PairedDifference>();
        foreach (var (a, b) in new[] { (Norm, Baseline), (NormMultilayer, Baseline), (NormMultilayer, Norm) })
        {
            if (!byName.TryGetValue(a, out var va) || !byName.TryGetValue(b, out var vb)) continue;
            differences.Add(new(a, b, "2DS overall", ConfidenceInterval.PairedDifference(va.Overall, vb.Overall)));
            differences.Add(new(a, b, "2DS relative", ConfidenceInterval.PairedDifference(va.Relative, vb.Relative)));
            differences.Add(new(a, b, "2DS absolute", ConfidenceInterval.PairedDifference(va.Absolute, vb.Absolute)));
            if (va.Semantic is { } sa && vb.Semantic is { } sb)
                differences.Add(new(a, b, "semantic control", ConfidenceInterval.PairedDifference(sa, sb)));
        }
        var (claims, notMeasured) = JudgeClaims(runs, byName);
        return new SeedStudyResult(runs.Select(r => r.Seed).ToArray(), variants, differences, claims, notMeasured);
    }

    static VariantOverSeeds Summarize(string name, IReadOnlyList<VariantEvaluation> evals)
    {
        static IReadOnlyList<double>? All(IEnumerable<double?> values)
        {
            var v = values.ToArray();
            return v.All(x => x is not null) ? v.Select(x => x!.Value).ToArray() : null;
        }
        return new VariantOverSeeds(
            name,
            evals.Select(e => e.Accuracy.Overall.Accuracy ?? 0).ToArray(),
            evals.Select(e => e.Accuracy.Pooled(relative: false)).ToArray(),
            evals.Select(e => e.Accuracy.Pooled(relative: true)).ToArray(),
            All(evals.Select(e => e.Semantic?.Accuracy.Overall.Accuracy)),
            All(evals.Select(e => e.Permutation?.Overall.Delta.Mean)),
            All(evals.Select(e => e.Semantic?.Permutation?.Overall.Delta.Mean)),
            All(evals.Select(e => e.Entropy.Paper?.Mean)),
            evals.Select(e => e.Norms.Ratio).ToArray());
    }

    static (IReadOnlyList<ClaimResult>, IReadOnlyList<string>) JudgeClaims(IReadOnlyList<SeedEvaluations> runs, IReadOnlyDictionary<string, VariantOverSeeds> v)
    {
        var claims = new List<ClaimResult>();
        var missing = new List<string>();
        // untestable: why the models could not show the effect, which overrides the interval's verdict.
        void Add(string claim, string paper, ClaimKind kind, ConfidenceInterval? ours, string why, double tolerance = 0, ClaimUnit unit = ClaimUnit.Fraction,
            string? untestable = null)
        {
            if (ours is null) missing.Add($"{claim}: {why}");
            else if (untestable is not null) claims.Add(new ClaimResult(claim, paper, ours, Verdict.NotTestable, unit, untestable));
            else claims.Add(new ClaimResult(claim, paper, ours, Claims.Judge(kind, ours, tolerance), unit));
        }
        v.TryGetValue(Baseline, out var b);
        v.TryGetValue(Norm, out var n);
        v.TryGetValue(NormMultilayer, out var nm);

        Add("Vision-token norms exceed text-embedding norms (baseline; log10 of the mean-norm ratio)",
            "§4, Fig. 3: \"vision embeddings consistently have 1-2 orders of magnitudes greater than text embeddings\"",
            ClaimKind.Increase, b is null ? null : ConfidenceInterval.Of(b.NormRatio.Select(Math.Log10).ToArray()), "no baseline", unit: ClaimUnit.Log10Ratio);
        Add("Permutation barely hurts questions that need no position (baseline, semantic control; within ±3 points)",
            "Table 1: VQAv2 −0.85, POPE −0.2, GQA −2.74, CV-Bench 2D −0.33 points",
            ClaimKind.NearZero, b?.SemanticPermutationDelta is { } sp ? ConfidenceInterval.Of(sp) : null,
            "needs the semantic control and permutation seeds", NearZeroTolerance);
        Add("Compression to one token barely hurts questions that need no position (baseline, semantic control; within ±3 points)",
            "Fig. 2: \"Only minor accuracy degradation occurs, even under extreme token compression (down to a single token)\"",
            ClaimKind.NearZero, CompressionDelta(runs, Baseline), "needs `--compression 1` and the semantic control", NearZeroTolerance);
        Add("+Normalize improves 2DS accuracy (norm − baseline)",
            "Table 2: 56.63 → 59.30 (+2.67)", ClaimKind.Increase, Paired(n, b, x => x.Overall), "needs norm and baseline");
        Add("+Multilayer improves on +Normalize (norm-multilayer − norm)",
            "Table 2: 59.30 → 64.80 (+5.50)", ClaimKind.Increase, Paired(nm, n, x => x.Overall), "needs norm-multilayer and norm");
        Add("+Normalize +Multilayer improves on the baseline (norm-multilayer − baseline)",
            "Table 2: 56.63 → 64.80 (+8.17)", ClaimKind.Increase, Paired(nm, b, x => x.Overall), "needs norm-multilayer and baseline");
        Add("Its gain is larger on relative than on absolute questions (gain on relative − gain on absolute)",
            "Table 2: relative +10.20/+6.40/+11.20, absolute +8.20/+3.60/+9.40 (means +9.27 vs +7.07)",
            ClaimKind.Increase, nm is null || b is null ? null
                : ConfidenceInterval.Of(nm.Relative.Select((r, i) => (r - b.Relative[i]) - (nm.Absolute[i] - b.Absolute[i])).ToArray()),
            "needs norm-multilayer and baseline",
            untestable: nm is null || b is null || LearnedRelations(nm) || LearnedRelations(b) ? null
                : $"neither variant answers the relative questions above {100 * Stage2Run.CrossedAt:0}% on any seed (chance 50%), so no gain on them can show");
        Add("Its gain grows with the number of objects (gain with the most objects − gain with the fewest)",
            "Fig. 5: \"particularly as spatial complexity (the number of objects) increases\"",
            ClaimKind.Increase, GainGrowth(runs), "needs norm-multilayer and baseline");
        if (b?.Entropy is { } eb && n?.Entropy is { } en && nm?.Entropy is { } enm)
        {
            var order = new[] { ConfidenceInterval.PairedDifference(en, eb), ConfidenceInterval.PairedDifference(eb, enm) };
            claims.Add(new ClaimResult("Attention entropy orders norm > baseline > norm-multilayer (the paper's way; the interval shown is norm − baseline)",
                "Table 4, 2DS: 0.90 > 0.76 > 0.72", order[0], Claims.JudgeOrder(order), ClaimUnit.Raw));
        }
        else missing.Add("Attention entropy order: needs the three variants with the paper's entropy");
        return (claims, missing);
    }

    /// <summary>A variant learned the relations on some seed when its relative accuracy on test reached the level a stage 2 counts as its phase change crossed.</summary>
    static bool LearnedRelations(VariantOverSeeds v) => v.Relative.Any(r => r >= Stage2Run.CrossedAt);

    static ConfidenceInterval? Paired(VariantOverSeeds? a, VariantOverSeeds? b, Func<VariantOverSeeds, IReadOnlyList<double>> quantity) =>
        a is null || b is null ? null : ConfidenceInterval.PairedDifference(quantity(a), quantity(b));

    /// <summary>Per seed: (norm-multilayer − baseline) on the images with the most objects minus the same on the fewest.</summary>
    static ConfidenceInterval? GainGrowth(IReadOnlyList<SeedEvaluations> runs)
    {
        if (!runs.All(r => r.Variants.ContainsKey(NormMultilayer) && r.Variants.ContainsKey(Baseline))) return null;
        var growth = runs.Select(r =>
        {
            var nm = r.Variants[NormMultilayer].Accuracy.PerObjectCount;
            var b = r.Variants[Baseline].Accuracy.PerObjectCount;
            int fewest = b.Keys.Min(), most = b.Keys.Max();
            double Gain(int k) => (nm[k].Accuracy ?? 0) - (b[k].Accuracy ?? 0);
            return Gain(most) - Gain(fewest);
        }).ToArray();
        return ConfidenceInterval.Of(growth);
    }

    /// <summary>Per seed: the semantic accuracy of the variant pooled to one token minus unpooled; null without both.</summary>
    static ConfidenceInterval? CompressionDelta(IReadOnlyList<SeedEvaluations> runs, string variant)
    {
        string pooled = variant + "-pool1";
        var deltas = runs.Select(r =>
            r.Variants.TryGetValue(variant, out var full) && r.Variants.TryGetValue(pooled, out var one)
            && full.Semantic?.Accuracy.Overall.Accuracy is double a && one.Semantic?.Accuracy.Overall.Accuracy is double c
                ? c - a : (double?)null).ToArray();
        return deltas.All(d => d is not null) ? ConfidenceInterval.Of(deltas.Select(d => d!.Value).ToArray()) : null;
    }
}
