using Pipeline.Cli.Services;
using System.Text.Json;
using Pipeline.Cli.Verbs;
using Pipeline.Data;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>The 2DS splits of the preset: data/test, data/train, data/val.</summary>
public sealed class DataStage : PipelineStage
{
    public override string Name => "data";

    public override string? Upstream => null;

    public override IEnumerable<(string, string)> Parameters(StageSettings s) =>
        s.Preset.DataSplits().Select(x => ($"split:{x.Folder}", JsonSerializer.Serialize(x.Options, Json.Compact)))
            // A new generator writes what the old one did not (the semantic control): its splits are made again.
            .Append(("generator", $"{DatasetManifest.GeneratorName} v{DatasetManifest.CurrentVersion}"));

    public override void Execute(StageSettings s, bool fresh)
    {
        foreach (var (folder, options) in s.Preset.DataSplits())
            DataSplits.EnsureSplit(RunContext.DataDir(s.RunDir, folder), options, s.Terminal);
    }

    public override IEnumerable<string> Outputs(StageSettings s) =>
        s.Preset.DataSplits().Select(x => RunLayout.Relative(RunLayout.DataFolder, x.Folder, DatasetManifest.FileName));
}
