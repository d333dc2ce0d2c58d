namespace Pipeline.Train.Model;

/// <summary>The three adapter variants of the paper's Table 2.</summary>
public enum Variant
{
    /// <summary>LLaVA as is: penultimate encoder layer, projector.</summary>
    Baseline,

    /// <summary>+Normalize: the norm adapter after the projector.</summary>
    Norm,

    /// <summary>+Normalize +Multilayer: four tapped encoder layers, projector, norm adapter.</summary>
    NormMultilayer,
}

/// <summary>The variants' command-line names.</summary>
public static class VariantNames
{
    static readonly (Variant Variant, string Name)[] Names =
        [(Variant.Baseline, "baseline"), (Variant.Norm, "norm"), (Variant.NormMultilayer, "norm-multilayer")];

    public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Name).ToArray();

    public static Variant Parse(string name) =>
        Names.FirstOrDefault(n => n.Name == name.Trim().ToLowerInvariant()) is { Name: not null } hit
            ? hit.Variant
            : throw new ArgumentException($"Unknown variant '{name}'; valid variants: {string.Join(", ", All)}.", nameof(name));

    public static string ToCliName(this Variant variant) =>
        Names.FirstOrDefault(n => n.Variant == variant).Name
        ?? throw new ArgumentOutOfRangeException(nameof(variant), variant, "Not a known variant.");

    /// <summary>A trained model's name in run folders and artifacts: the variant, with -poolK when its tokens are pooled to k×k.</summary>
    public static string ModelName(this Variant variant, int? pool) =>
        pool is int k ? $"{variant.ToCliName()}-pool{k}" : variant.ToCliName();

    public static bool UsesNormAdapter(this Variant variant) => variant is Variant.Norm or Variant.NormMultilayer;

    public static bool UsesMultilayer(this Variant variant) => variant is Variant.NormMultilayer;
}

/// <summary>ViT of the vision tower; the default is the design's `small` size.</summary>
/// <param name="ConvStem">Patches embedded by two stride-2 3×3 convolutions (GELU) before the patch
/// projection, instead of the projection alone: a ViT "early convolutions" stem, which learns
/// shapes from little data far better at this scale.</param>
/// <param name="ShallowTap">The multilayer adapter taps D/6, D/2, 5D/6 and D instead of the paper's
/// D/2, 2D/3, 5D/6 and D (see TapLayers).</param>
public sealed record VisionConfig(
    int ImageSize = 64, int PatchSize = 8, int Channels = 3, int Width = 128, int Depth = 8, int Heads = 4, int MlpRatio = 4,
    bool ConvStem = false, bool ShallowTap = false)
{
    public int GridSize => ImageSize / PatchSize;

    public int NumPatches => GridSize * GridSize;

    /// <summary>
    /// 1-based layers the multilayer adapter taps: the paper's 12, 16, 20, 24 of 24 scaled to D
    /// (round half away from zero, clamped to [1, D]); shallow encoders may repeat a layer. With
    /// ShallowTap the 2D/3 tap moves to D/6 (4 of 24; 1 of 6): our 0a trains every layer from D/2
    /// up to name each patch's shape, which leaves little of a patch's colour in those layers; a
    /// shallow tap brings colour back to the adapter.
    /// </summary>
    public IReadOnlyList<int> TapLayers =>
        (ShallowTap ? new[] { Depth / 6.0, Depth / 2.0, 5.0 * Depth / 6.0, Depth } : new[] { Depth / 2.0, 2.0 * Depth / 3.0, 5.0 * Depth / 6.0, Depth })
            .Select(x => Math.Clamp((int)Math.Round(x, MidpointRounding.AwayFromZero), 1, Math.Max(Depth, 1)))
            .ToArray();

    /// <summary>1-based layer of the baseline feature: the penultimate (LLaVA mm_vision_select_layer = -2).</summary>
    public int FeatureLayer => Math.Max(Depth - 1, 1);
}

/// <summary>LLaMA-style decoder.</summary>
public sealed record LanguageConfig(
    int VocabSize, int Width = 128, int Depth = 4, int Heads = 4, int MlpHidden = 344, int MaxSeqLen = 256, double RopeTheta = 10000)
{
    public int HeadDim => Width / Heads;
}

/// <summary>The norm adapter's constants: token norms become TargetMean × min(‖RMSNorm(x)‖, MaxNorm).</summary>
public sealed record NormConstants(double TargetMean, double MaxNorm)
{
    /// <summary>Vicuna-7B's text-embedding statistics, as used by the paper's authors.</summary>
    public static NormConstants Paper { get; } = new(0.83, 1.22);

    /// <summary>
    /// The adapter's buffers under the rule that matches vision tokens to the text (the paper's
    /// §5.2 intent): the authors' formula lands every clipped token at TargetMean × MaxNorm, which is
    /// ≈ 1.2× the text mean with Vicuna's constants but a fraction of it with a small LM's
    /// (mean and max both below 1). Scaling by mean / max instead lands every token at the text
    /// mean, whatever the constants.
    /// </summary>
    public NormConstants MatchingTextMean() => new(TargetMean / MaxNorm, MaxNorm);
}

/// <summary>The whole VLM: vision tower, adapters, projector and language model.</summary>
/// <param name="PoolTokens">k: pool the projected token grid to k×k; null keeps every patch.</param>
/// <param name="Norm">Norm adapter constants; required by the norm variants, ignored by the baseline.</param>
/// <param name="ImageTokenId">Id of the image placeholder in the text; 4 is `&lt;image&gt;` in Pipeline.Data's vocabulary.</param>
public sealed record ModelConfig(
    VisionConfig Vision, LanguageConfig Language, Variant Variant, int? PoolTokens = null, NormConstants? Norm = null,
    int ImageTokenId = ModelConfig.DefaultImageTokenId)
{
    public const int DefaultImageTokenId = 4;

    /// <summary>Channels of the feature the projector reads: the four taps are concatenated.</summary>
    public int ProjectorInFeatures => Variant.UsesMultilayer() ? 4 * Vision.Width : Vision.Width;

    /// <summary>M, the image tokens spliced into the text.</summary>
    public int NumImageTokens => PoolTokens is int k ? k * k : Vision.NumPatches;

    /// <summary>Throws ArgumentException naming the first inconsistent setting.</summary>
    public ModelConfig Validate()
    {
        var v = Vision;
        var l = Language;
        Require(v.ImageSize > 0 && v.PatchSize > 0 && v.Channels > 0, $"Vision sizes must be positive (image {v.ImageSize}, patch {v.PatchSize}, channels {v.Channels}).");
        Require(v.ImageSize % v.PatchSize == 0, $"Vision image size {v.ImageSize} is not divisible by patch size {v.PatchSize}.");
        Require(!v.ConvStem || (v.PatchSize % 4 == 0 && v.Width % 4 == 0), $"A convolutional stem needs a patch size ({v.PatchSize}) and width ({v.Width}) divisible by 4.");
        Require(v.Depth >= 1 && v.MlpRatio >= 1, $"Vision depth ({v.Depth}) and MLP ratio ({v.MlpRatio}) must be at least 1.");
        Require(v.Heads >= 1 && v.Width % v.Heads == 0, $"Vision width {v.Width} is not divisible by its {v.Heads} heads.");
        Require(l.VocabSize > 0, $"Language vocabulary size must be positive, got {l.VocabSize}.");
        Require(l.Depth >= 1 && l.MlpHidden >= 1 && l.MaxSeqLen >= 1, $"Language depth ({l.Depth}), MLP hidden ({l.MlpHidden}) and max sequence length ({l.MaxSeqLen}) must be at least 1.");
        Require(l.Heads >= 1 && l.Width % l.Heads == 0, $"Language width {l.Width} is not divisible by its {l.Heads} heads.");
        Require(l.HeadDim % 2 == 0, $"Language head dimension {l.HeadDim} must be even for rotary embeddings.");
        Require(l.RopeTheta > 1, $"RoPE theta must be greater than 1, got {l.RopeTheta}.");
        Require(PoolTokens is null || (PoolTokens >= 1 && PoolTokens <= v.GridSize), $"PoolTokens {PoolTokens} must lie in [1, {v.GridSize}] (the {v.GridSize}×{v.GridSize} patch grid).");
        Require(!Variant.UsesNormAdapter() || Norm is not null, $"Variant '{Variant.ToCliName()}' needs norm constants (Norm).");
        Require(Norm is null || (Norm.TargetMean > 0 && Norm.MaxNorm > 0), $"Norm constants must be positive, got {Norm}.");
        Require(ImageTokenId >= 0 && ImageTokenId < l.VocabSize, $"Image token id {ImageTokenId} lies outside the vocabulary [0, {l.VocabSize}).");
        Require(NumImageTokens < l.MaxSeqLen, $"{NumImageTokens} image tokens leave no room for text in max sequence length {l.MaxSeqLen}.");
        return this;
    }

    /// <summary>The tests' size: everything 32 wide, 2 deep, 16×16 images of 4×4 patches.</summary>
    public static ModelConfig Tiny(int vocabSize, Variant variant) => new(
        new VisionConfig(ImageSize: 16, PatchSize: 4, Width: 32, Depth: 2, Heads: 2),
        new LanguageConfig(vocabSize, Width: 32, Depth: 2, Heads: 2, MlpHidden: 64),
        variant,
        Norm: variant.UsesNormAdapter() ? NormConstants.Paper : null);

    static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
