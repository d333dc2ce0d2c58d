using System.Globalization;
using Pipeline.Data;
using Pipeline.Eval.Study;

namespace Pipeline.Eval.Reports;

/// <summary>
/// The paper's tables built from our results, with the paper's numbers in labelled columns, so
/// every report lays them out the same way. Accuracies are percentages with one decimal.
/// </summary>
public static class ReportTables
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Where the paper's columns come from (and which it does not report): print it once per report.</summary>
    public static Paragraph PaperSource() => new($"Columns headed \"{PaperNumbers.ColumnLabel}\" are the paper's results, not ours: {PaperNumbers.Citation} {PaperNumbers.Address}. {PaperNumbers.Source}");

    /// <summary>Table 2: rows overall + the six categories, one column per variant ("41.2 (206/500)"), then the paper's.</summary>
    public static ReportTable Accuracy(IReadOnlyList<(string Variant, AccuracyResult Result)> variants, string caption = "2DS accuracy (%) per category; correct/total in brackets")
    {
        string[] rowKeys = ["overall", .. Categories.All];
        var rows = rowKeys.Select(k => (IReadOnlyList<string>)new[] { k }
            .Concat(variants.Select(v => Cell(k == "overall" ? v.Result.Overall : v.Result.PerCategory[k]))).ToArray()).ToArray();
        var paper = variants.Select(v => new PaperColumn(v.Variant, rowKeys.Select(k => PaperNumbers.Percent(PaperNumbers.Accuracy(v.Variant, k))).ToArray())).ToArray();
        return new ReportTable(caption, ["category", .. variants.Select(v => v.Variant)], rows, paper);
    }

    /// <summary>Fig. 5 as numbers: one row per object count, one column per variant.</summary>
    public static ReportTable ByObjectCount(IReadOnlyList<(string Variant, AccuracyResult Result)> variants, string caption = "2DS accuracy (%) by number of objects")
    {
        var counts = variants.SelectMany(v => v.Result.PerObjectCount.Keys).Distinct().Order().ToArray();
        var rows = counts.Select(n => (IReadOnlyList<string>)new[] { n.ToString(Inv) }
            .Concat(variants.Select(v => Cell(v.Result.PerObjectCount.GetValueOrDefault(n, AccuracyCell.Empty)))).ToArray()).ToArray();
        return new ReportTable(caption, ["objects", .. variants.Select(v => v.Variant)], rows);
    }

    /// <summary>
    /// Table 1: per variant, the unpermuted accuracy and the change when the vision tokens are
    /// permuted (mean ± std over seeds, [min, max]), in percentage points.
    /// </summary>
    public static ReportTable Permutation(IReadOnlyList<(string Variant, PermutationSummary Summary)> variants, string caption = "Permutation test: accuracy (%) unpermuted and change in points when vision tokens are permuted (mean ± std over seeds [min, max])")
    {
        string[] rowKeys = ["overall", .. Categories.All];
        var rows = rowKeys.Select(k => (IReadOnlyList<string>)new[] { k }.Concat(variants.SelectMany(v =>
        {
            var d = k == "overall" ? v.Summary.Overall : v.Summary.PerCategory.GetValueOrDefault(k);
            return d is null ? new[] { "–", "–" } : new[] { Percent(d.Unpermuted), Delta(d.Delta) };
        })).ToArray()).ToArray();
        string[] header = ["category", .. variants.SelectMany(v => new[] { $"{v.Variant} unpermuted", $"{v.Variant} Δ ({v.Summary.Seeds.Count} seeds)" })];
        var paper = new PaperColumn("Δ", rowKeys.Select(k => PaperNumbers.Percent(PaperNumbers.PermutationDelta(k))).ToArray());
        return new ReportTable(caption, header, rows, [paper]);
    }

    /// <summary>
    /// The semantic control beside 2DS: per variant, each set's accuracy and its change in points
    /// when the vision tokens are permuted (mean over seeds), then each semantic category.
    /// </summary>
    public static ReportTable SemanticControl(
        IReadOnlyList<(string Variant, AccuracyResult Spatial, PermutationSummary? SpatialPermutation, SemanticControl Semantic)> variants,
        string caption = "Semantic control beside 2DS: accuracy (%) and change in points with the vision tokens permuted (mean over seeds)")
    {
        static string Shift(PermutationDelta? d) => d is null ? "–" : Signed(100 * d.Delta.Mean);
        var rows = variants.Select(v => (IReadOnlyList<string>)new[]
        {
            v.Variant,
            Cell(v.Spatial.Overall), Shift(v.SpatialPermutation?.Overall),
            Cell(v.Semantic.Accuracy.Overall), Shift(v.Semantic.Permutation?.Overall),
        }.Concat(Categories.Semantic.Select(c => $"{Cell(v.Semantic.Accuracy.PerCategory[c])}, Δ {Shift(v.Semantic.Permutation?.PerCategory.GetValueOrDefault(c))}")).ToArray()).ToArray();
        return new ReportTable(caption, ["variant", "2DS", "2DS Δ permuted", "semantic", "semantic Δ permuted", .. Categories.Semantic], rows);
    }

    /// <summary>
    /// The claims table: each claim of the paper, the paper's number quoted, ours as a mean with
    /// its 95% interval over seeds, and the verdict that interval gives.
    /// </summary>
    public static ReportTable Claims(IReadOnlyList<ClaimResult> claims, string caption = "The paper's claims against ours: mean over seeds [95% interval]; the verdict follows from the interval alone")
    {
        var rows = claims.Select(c => (IReadOnlyList<string>)[c.Claim, c.Paper, Interval(c.Ours, c.Unit), $"{c.Ours.Count}", VerdictText(c)]).ToArray();
        return new ReportTable(caption, ["claim", "paper", "ours", "seeds", "verdict"], rows);
    }

    /// <summary>A mean and its interval in the claim's unit: points, a factor, or the value itself; one value has no interval.</summary>
    public static string Interval(ConfidenceInterval ci, ClaimUnit unit)
    {
        string F(double x) => unit switch
        {
            ClaimUnit.Fraction => Signed(100 * x),
            ClaimUnit.Log10Ratio => "×" + Math.Pow(10, x).ToString(Math.Pow(10, x) >= 10 ? "0" : "0.00", Inv),
            _ => x.ToString("+0.000;−0.000;0.000", Inv),
        };
        string unitText = unit == ClaimUnit.Fraction ? " points" : "";
        return double.IsInfinity(ci.Low) ? $"{F(ci.Mean)}{unitText} (one seed: no interval)" : $"{F(ci.Mean)}{unitText} [{F(ci.Low)}, {F(ci.High)}]";
    }

    public static string VerdictText(Verdict v) => v switch
    {
        Verdict.Reproduced => "reproduced",
        Verdict.NotReproduced => "not reproduced",
        Verdict.NotTestable => "not testable here",
        _ => "inconclusive at this power",
    };

    /// <summary>The verdict with its reason where the claim could not be tested.</summary>
    public static string VerdictText(ClaimResult c) => c.Why is null ? VerdictText(c.Verdict) : $"{VerdictText(c.Verdict)}: {c.Why}";

    /// <summary>The position probe: held-out R² of a token's grid row and column, in the encoder's features and in the tokens the LM receives.</summary>
    public static ReportTable Position(IReadOnlyList<(string Variant, PositionReport Report)> variants, string caption = "Linear read-out of a vision token's grid position: held-out R² (row / column)")
    {
        static string Fit(PositionFit f) => $"{f.RowR2.ToString("0.00", Inv)} / {f.ColumnR2.ToString("0.00", Inv)}";
        var rows = variants.Select(v => (IReadOnlyList<string>)new[] { v.Variant, Fit(v.Report.EncoderFeatures), Fit(v.Report.ImageTokens), v.Report.ImageTokens.Grid.ToString(Inv) + "×" + v.Report.ImageTokens.Grid.ToString(Inv) }).ToArray();
        return new ReportTable(caption, ["variant", "encoder features", "into the language model", "grid"], rows);
    }

    /// <summary>Table 4: mean normalised attention entropy of text over vision tokens per variant.</summary>
    /// <param name="paperColumn">Whether the paper's Table 4 stands beside it: only where ours is measured its way.</param>
    public static ReportTable Entropy(IReadOnlyList<(string Variant, Spread Entropy)> variants, string caption = "Normalised attention entropy over vision tokens (1 = uniform, 0 = one token): mean ± std over questions", bool paperColumn = true)
    {
        var rows = variants.Select(v => (IReadOnlyList<string>)new[]
        {
            v.Variant, $"{v.Entropy.Mean.ToString("0.000", Inv)} ± {v.Entropy.Std.ToString("0.000", Inv)}", v.Entropy.Count.ToString(Inv),
        }).ToArray();
        var paper = new PaperColumn("", variants.Select(v => PaperNumbers.AttentionEntropy(v.Variant)?.ToString("0.000", Inv)).ToArray());
        return new ReportTable(caption, ["variant", "entropy", "n"], rows, paperColumn ? [paper] : []);
    }

    /// <summary>
    /// Fig. 3 as numbers: L2-norm statistics per series. <paramref name="textRow"/> marks the text
    /// embeddings' row, beside which the paper's Vicuna text-embedding mean / max are shown.
    /// </summary>
    public static ReportTable Norms(IReadOnlyList<(string Label, NormStats Stats)> series, int? textRow = null, string caption = "L2 norms of vision tokens and text embeddings")
    {
        var rows = series.Select(s => (IReadOnlyList<string>)new[]
        {
            s.Label, s.Stats.Count.ToString(Inv), G(s.Stats.Min), G(s.Stats.Median), G(s.Stats.Mean), G(s.Stats.P99), G(s.Stats.Max),
        }).ToArray();
        string? paperText = PaperNumbers.TextEmbeddingNormMean is double m && PaperNumbers.TextEmbeddingNormMax is double x ? $"{G(m)} / {G(x)}" : null;
        var paper = new PaperColumn("text mean / max", series.Select((_, i) => i == textRow ? paperText : null).ToArray());
        return new ReportTable(caption, ["series", "n", "min", "median", "mean", "p99", "max"], rows, [paper]);
    }

    static string Cell(AccuracyCell c) => c.Accuracy is double a ? $"{Percent(a)} ({c.Correct}/{c.Total})" : "–";

    static string Percent(double fraction) => (100 * fraction).ToString("0.0", Inv);

    static string Delta(Spread d) =>
        $"{Signed(100 * d.Mean)} ± {(100 * d.Std).ToString("0.0", Inv)} [{Signed(100 * d.Min)}, {Signed(100 * d.Max)}]";

    static string Signed(double points) => points.ToString("+0.0;−0.0;0.0", Inv);

    static string G(double v) => v.ToString("G4", Inv);
}
