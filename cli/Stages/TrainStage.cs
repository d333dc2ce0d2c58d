using Pipeline.Cli.Services;
using Pipeline.Cli.Verbs;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>
/// Stages 1 and 2 of each variant and its 2DS-test score under TorchSharp, plus the training
/// report; with a compression study, each variant again per pooled k×k grid.
/// </summary>
public sealed class TrainStage : PipelineStage
{
    public override string Name => "train";

    public override string? Upstream => "pretrain";

    public override IEnumerable<(string, string)> Parameters(StageSettings s)
    {
        yield return ("variants", s.VariantNames);
        yield return ("align", s.Preset.Align1.ToString());
        yield return ("qa", (s.Preset.Qa2 with { MinSteps = null }).ToString());
        if (s.Preset.Qa2.MinSteps is int minSteps) yield return (MinStepsKey, minSteps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ("device", s.Device);
        yield return ("taps", string.Join(",", s.Preset.Vision.TapLayers));
        // Only when asked for, so that runs without the study keep their records.
        if (s.Compression.Count > 0) yield return (CompressionKey, string.Join(",", s.Compression));
        yield return ("norm-rule", s.NormRule.ToString());
    }

    const string CompressionKey = "compression", MinStepsKey = "qa-min-steps";

    /// <summary>
    /// Adding or removing pooled grids leaves every trained model valid, and so does a new minimum
    /// for stage 2's plateau stop (a stage stopped short of it extends, StageState.ExtendsTo): only
    /// a change of anything else starts over.
    /// </summary>
    public override bool KeepsOutputs(IReadOnlyDictionary<string, string> previous, IReadOnlyDictionary<string, string> current) =>
        Without(previous).SequenceEqual(Without(current));

    static IEnumerable<KeyValuePair<string, string>> Without(IReadOnlyDictionary<string, string> inputs) =>
        inputs.Where(p => p.Key is not (CompressionKey or MinStepsKey)).OrderBy(p => p.Key, StringComparer.Ordinal);

    public override void Execute(StageSettings s, bool fresh)
    {
        if (fresh) Clear(s.Models.Select(m => PretrainStage.StageDir(s, m.Name)).ToArray());
        // Pooled models first: every Trainer run rewrites stages/training.json, which must end as the unpooled run's.
        foreach (int k in s.Compression)
        {
            s.Terminal.Info($"compression study: training the variants with {k}×{k} vision tokens");
            TrainingRuns.Train(PretrainStage.Options(s, TrainUntil.All) with { PoolTokens = k }, s.Terminal);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = TrainingRuns.Train(PretrainStage.Options(s, TrainUntil.All), s.Terminal);
        TrainingRuns.PrintSummary(summary);
        s.Terminal.Info($"training report: {Pipeline.Study.Reports.TrainingReport.Write(summary, s.Preset, s.RunDir, clock.Elapsed)}");
    }

    public override IEnumerable<string> Outputs(StageSettings s) =>
        s.Models.SelectMany(m => new[]
        {
            RunLayout.Relative(RunLayout.StagesFolder, m.Name, VariantTraining.QaStage, StageRunner.CheckpointFolder, StageRunner.ModelFile),
            RunLayout.Relative(RunLayout.StagesFolder, m.Name, VariantTraining.EvalFile),
        });

    /// <summary>The checkpoint folder a model's export reads.</summary>
    public static string Checkpoint(StageSettings s, ModelKey m) =>
        StageRunner.CheckpointDir(s.Layout.Stage(m.Name, VariantTraining.QaStage));

    public static string Checkpoint(StageSettings s, Variant v) => Checkpoint(s, new ModelKey(v, null));
}
