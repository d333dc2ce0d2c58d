using Pipeline.Cli.Verbs;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>Stages 1 and 2 of each variant and its 2DS-test score under TorchSharp, plus the training report.</summary>
public sealed class TrainStage : PipelineStage
{
    public override string Name => "train";

    public override string? Upstream => "pretrain";

    public override IEnumerable<(string, string)> Parameters(StageSettings s) =>
    [
        ("variants", s.VariantNames),
        ("align", s.Preset.Align1.ToString()),
        ("qa", s.Preset.Qa2.ToString()),
        ("device", s.Device),
    ];

    public override void Execute(StageSettings s, bool fresh)
    {
        if (fresh) Clear(s.Variants.Select(v => PretrainStage.StageDir(s, v.ToCliName())).ToArray());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = TrainVerb.Train(PretrainStage.Options(s, TrainUntil.All), s.Terminal);
        TrainVerb.PrintSummary(summary);
        s.Terminal.Info($"training report: {Reports.TrainingReport.Write(summary, s.RunDir, clock.Elapsed)}");
    }

    public override IEnumerable<string> Outputs(StageSettings s) =>
        s.Variants.SelectMany(v => new[]
        {
            Path.Combine("stages", v.ToCliName(), VariantTraining.QaStage, StageRunner.CheckpointFolder, StageRunner.ModelFile),
            Path.Combine("stages", v.ToCliName(), VariantTraining.EvalFile),
        });

    /// <summary>The checkpoint folder a variant's export reads.</summary>
    public static string Checkpoint(StageSettings s, Variant v) =>
        StageRunner.CheckpointDir(Path.Combine(s.RunDir, "stages", v.ToCliName(), VariantTraining.QaStage));
}
