using Pipeline.Data;

namespace Pipeline.Eval;

/// <summary>
/// The paper's own results (LLaVA-1.5-7B), shown beside ours in every report and always labelled
/// as the paper's.
///
/// Paper: Jianing Qi, Jiawei Liu, Hao Tang, Zhigang Zhu, "Beyond Semantics: Rediscovering Spatial
/// Awareness in Vision-Language Models", arXiv:2503.17349 (2025), https://arxiv.org/abs/2503.17349.
///
/// Every number is read from the paper's text (the copy in shared/paper/beyond-semantics.md):
/// the 2DS accuracies from its Table 2 ("Spatial reasoning accuracy (%) across 2DS categories"),
/// the attention entropies from the 2DS row of its Table 4 ("Average attention entropy over
/// different datasets"). Its Table 1 permutation results are on VQAv2, POPE, GQA and CV-Bench 2D,
/// not per 2DS category, so they stay null here. Fig. 3's caption gives ranges, not means: "Vision
/// token norms range between 10^1 and 10^3, while text token norms range between 3 × 10^-1 and
/// 10^0". The norm adapter's constants come from the authors' code
/// (github.com/user074/beyond-semantics, LLaVA/llava/model/multimodal_projector/builder.py,
/// <c>NormalizedProjector</c>: <c>target_mean = 0.83</c>, <c>max_norm = 1.22</c>), i.e.
/// Vicuna-7B's text-embedding L2 norms; the GPT-4o-mini judge that graded 2DS is in the authors'
/// code too (synthetic_grade.yaml), not in the paper.
/// </summary>
public static class PaperNumbers
{
    public const string Citation =
        "Qi, Liu, Tang, Zhu. Beyond Semantics: Rediscovering Spatial Awareness in Vision-Language Models. arXiv:2503.17349, 2025.";

    public const string Address = "https://arxiv.org/abs/2503.17349";

    /// <summary>Header of every column that holds the paper's numbers.</summary>
    public const string ColumnLabel = "Paper (LLaVA-1.5-7B)";

    /// <summary>What a report prints for a number of the paper that is not known here.</summary>
    public const string NotAvailable = "not available";

    /// <summary>Where the numbers below come from, and which could not be retrieved; reports print it under the paper columns.</summary>
    public const string Source =
        "The paper's 2DS accuracies are its Table 2 and its attention entropies the 2DS row of its Table 4 (§7.2: \"We average all text tokens' attention over the " +
        "vision tokens to compute the entropy\"). The paper's LLaVA-1.5-7B met 2DS zero-shot, trained on LLaVA's data; ours train stage 2 on 2DS-train, so our 2DS " +
        "is in-distribution. Its permutation test (Table 1) is on VQAv2, POPE, GQA and CV-Bench 2D, semantic benchmarks, not 2DS categories: \"not available\" here. " +
        "Fig. 3 gives vision-token norms between 10^1 and 10^3 and text-token norms between 3 × 10^-1 and 10^0 (its caption). The authors' code graded 2DS with a " +
        "GPT-4o-mini judge; we grade by exact match. Text-embedding norm mean 0.83 and max 1.22 (Vicuna-7B) are the constants of NormalizedProjector in the " +
        "authors' code, github.com/user074/beyond-semantics, LLaVA/llava/model/multimodal_projector/builder.py.";

    /// <summary>Mean L2 norm of Vicuna-7B's text-token embeddings (authors' code: the norm adapter's target_mean).</summary>
    public static readonly double? TextEmbeddingNormMean = 0.83;

    /// <summary>Max L2 norm of Vicuna-7B's text-token embeddings (authors' code: the norm adapter's max_norm).</summary>
    public static readonly double? TextEmbeddingNormMax = 1.22;

    /// <summary>Mean vision-token norm of LLaVA-1.5-7B: the paper gives a range (Fig. 3's caption, 10^1 to 10^3), not a mean.</summary>
    public static readonly double? VisionTokenNormMean = null;

    /// <summary>Table 2: 2DS accuracy (fraction) of a variant in a category ("overall" for the total); null: not known.</summary>
    public static double? Accuracy(string variant, string category) =>
        TwoDsAccuracy.TryGetValue(variant, out var row) && row.TryGetValue(category, out double percent) ? percent / 100 : null;

    // Percentages: LLaVA-1.5 (baseline), +Normalize (norm), +Normalize+Multilayer (norm-multilayer); the paper has no +Multilayer-only column.
    static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> TwoDsAccuracy = new Dictionary<string, IReadOnlyDictionary<string, double>>
    {
        ["baseline"] = Row(79.60, 37.00, 78.60, 34.40, 70.80, 39.40, overall: 56.63),
        ["norm"] = Row(88.00, 42.40, 79.00, 32.80, 71.80, 41.80, overall: 59.30),
        ["norm-multilayer"] = Row(87.80, 47.20, 82.20, 40.80, 80.20, 50.60, overall: 64.80),
    };

    static IReadOnlyDictionary<string, double> Row(double colorAbs, double colorRel, double shapeAbs, double shapeRel, double shapeColorAbs, double shapeColorRel, double overall) => new Dictionary<string, double>
    {
        [Categories.ColorAbs] = colorAbs, [Categories.ColorRel] = colorRel, [Categories.ShapeAbs] = shapeAbs, [Categories.ShapeRel] = shapeRel,
        [Categories.ShapeColorAbs] = shapeColorAbs, [Categories.ShapeColorRel] = shapeColorRel, ["overall"] = overall,
    };

    /// <summary>Table 1: accuracy change (fraction) when vision tokens are permuted, per 2DS category; null: the paper reports it on other benchmarks only.</summary>
    public static double? PermutationDelta(string category) => null;

    /// <summary>Table 4, its 2DS row: normalised attention entropy of a variant; null: not known.</summary>
    public static double? AttentionEntropy(string variant) => variant switch
    {
        "baseline" => 0.76,
        "norm" => 0.90,
        "norm-multilayer" => 0.72,
        _ => null,
    };

    /// <summary>A paper value as a percentage with one decimal, or null (printed as "not available").</summary>
    public static string? Percent(double? fraction) =>
        fraction is double f ? (100 * f).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : null;
}
