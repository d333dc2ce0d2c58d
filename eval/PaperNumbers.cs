namespace Pipeline.Eval;

/// <summary>
/// The paper's own results (LLaVA-1.5-7B), shown beside ours in every report and always labelled
/// as the paper's.
///
/// Paper: Jianing Qi, Jiawei Liu, Hao Tang, Zhigang Zhu, "Beyond Semantics: Rediscovering Spatial
/// Awareness in Vision-Language Models", arXiv:2503.17349 (2025), https://arxiv.org/abs/2503.17349.
///
/// What could be verified here (searched November 2026 from this machine's stored copies of public
/// pages): the abstracts and opening pages of arXiv:2503.17349 v1 and v2, and the authors' code. The
/// tables themselves (Table 1 permutation deltas, Table 2 2DS accuracies per category, Table 4
/// attention entropies) could not be retrieved, so they are null and reports print
/// "not available": a number that is not the paper's must never appear under the paper's name.
/// The only numbers known are the norm adapter's constants in the authors' code
/// (github.com/user074/beyond-semantics, LLaVA/llava/model/multimodal_projector/builder.py,
/// <c>NormalizedProjector</c>: <c>target_mean = 0.83  # Based on LLM embedding mean</c>,
/// <c>max_norm = 1.22  # Based on LLM embedding max</c>), i.e. Vicuna-7B's text-embedding L2 norms.
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
        "Paper's tables (Table 1 permutation deltas, Table 2 2DS accuracy, Table 4 attention entropy) could not be retrieved here: " +
        "only the abstract and first pages of arXiv:2503.17349 were reachable, so they are shown as \"not available\". " +
        "Text-embedding norm mean 0.83 and max 1.22 (Vicuna-7B) are the constants of NormalizedProjector in the authors' code, " +
        "github.com/user074/beyond-semantics, LLaVA/llava/model/multimodal_projector/builder.py.";

    /// <summary>Mean L2 norm of Vicuna-7B's text-token embeddings (authors' code: the norm adapter's target_mean).</summary>
    public static readonly double? TextEmbeddingNormMean = 0.83;

    /// <summary>Max L2 norm of Vicuna-7B's text-token embeddings (authors' code: the norm adapter's max_norm).</summary>
    public static readonly double? TextEmbeddingNormMax = 1.22;

    /// <summary>Vision-token norms of LLaVA-1.5-7B (Fig. 3): not retrieved.</summary>
    public static readonly double? VisionTokenNormMean = null;

    /// <summary>Table 2: 2DS accuracy (fraction) of a variant in a category ("overall" for the total); null: not retrieved.</summary>
    public static double? Accuracy(string variant, string category) => null;

    /// <summary>Table 1: accuracy change (fraction) when vision tokens are permuted, per benchmark or category; null: not retrieved.</summary>
    public static double? PermutationDelta(string category) => null;

    /// <summary>Table 4: mean normalised attention entropy of a variant; null: not retrieved.</summary>
    public static double? AttentionEntropy(string variant) => null;

    /// <summary>A paper value as a percentage with one decimal, or null (printed as "not available").</summary>
    public static string? Percent(double? fraction) =>
        fraction is double f ? (100 * f).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : null;
}
