using Pipeline.Cli.Console;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>What every stage of a run shares: the preset, where the run lives, and the options each stage reads.</summary>
/// <param name="Ep">ONNX Runtime execution provider for validation and evaluation: auto, cpu or cuda.</param>
/// <param name="Device">TorchSharp device for training: cpu or cuda.</param>
/// <param name="Foundations">The foundation folder stages 0a and 0b come from (vision/, language/), or null to train them.</param>
/// <param name="Compression">Spatial compression study (Fig. 2): each variant is also trained, exported and evaluated with its vision tokens pooled to k×k, for each k.</param>
public sealed record StageSettings(
    Preset Preset,
    string RunDir,
    IReadOnlyList<Variant> Variants,
    string Ep,
    int Opset,
    string Device,
    Terminal Terminal,
    IReadOnlyList<int> Compression,
    string? Foundations = null,
    NormRule NormRule = NormRule.MatchText)
{
    /// <summary>The run folder's layout.</summary>
    public RunLayout Layout => new(RunDir);

    /// <summary>Every model the run trains: the variants, then each variant pooled to each k.</summary>
    public IReadOnlyList<ModelKey> Models =>
        [.. Variants.Select(v => new ModelKey(v, null)), .. Compression.SelectMany(k => Variants.Select(v => new ModelKey(v, k)))];

    public string ArtifactDir(ModelKey m) => Layout.Artifact(m.Name);

    public string ValidationFile(ModelKey m) => Layout.Validation(m.Name);

    public string EvalDir(ModelKey m) => Layout.Eval(m.Name);

    public string ArtifactDir(Variant v) => ArtifactDir(new ModelKey(v, null));

    public string EvalDir(Variant v) => EvalDir(new ModelKey(v, null));

    public string ReportDir => Layout.Report;

    public string VariantNames => string.Join(",", Variants.Select(v => v.ToCliName()));
}

/// <summary>One trained model of a run: a variant, optionally with its vision tokens pooled to k×k (named as the training stages name it).</summary>
public sealed record ModelKey(Variant Variant, int? Pool)
{
    public string Name => Variant.ModelName(Pool);
}
