using Pipeline.Cli.Services;
using Pipeline.Cli.Verbs;
using Pipeline.Export;
using Pipeline.Runtime;

namespace Pipeline.Cli.Stages;

/// <summary>Each variant's checkpoint as an ONNX artifact in artifacts/VARIANT, checked against TorchSharp on export.</summary>
public sealed class ExportStage : PipelineStage
{
    public override string Name => "export";

    public override string? Upstream => "train";

    public override IEnumerable<(string, string)> Parameters(StageSettings s) => [("opset", s.Opset.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public override void Execute(StageSettings s, bool fresh)
    {
        foreach (var m in s.Models)
            ExportSummary.PrintSummary(ArtifactExporter.Export(new ExportOptions(TrainStage.Checkpoint(s, m), s.ArtifactDir(m), s.Opset, Force: true)), s.Terminal);
    }

    public override IEnumerable<string> Outputs(StageSettings s) =>
        s.Models.Select(m => Path.GetRelativePath(s.RunDir, ArtifactFiles.ManifestPath(s.ArtifactDir(m))));
}
