using Pipeline.Cli.Console;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>What every stage of a run shares: the preset, where the run lives, and the options each stage reads.</summary>
/// <param name="Ep">ONNX Runtime execution provider for validation and evaluation: auto, cpu or cuda.</param>
/// <param name="Device">TorchSharp device for training: cpu or cuda.</param>
public sealed record StageSettings(
    Preset Preset,
    string RunDir,
    IReadOnlyList<Variant> Variants,
    string Ep,
    int Opset,
    string Device,
    Terminal Terminal)
{
    public string ArtifactDir(Variant v) => Path.Combine(RunDir, "artifacts", v.ToCliName());

    public string ValidationFile(Variant v) => Path.Combine(RunDir, "validation", v.ToCliName() + ".json");

    public string EvalDir(Variant v) => Path.Combine(RunDir, "eval", v.ToCliName());

    public string ReportDir => Path.Combine(RunDir, "report");

    public string VariantNames => string.Join(",", Variants.Select(v => v.ToCliName()));
}
