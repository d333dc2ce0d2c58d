using System.Text.Json;
using Pipeline.Cli.Verbs;
using Pipeline.Data;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>Stages 0a (vision encoder) and 0b (language model), shared by the three variants.</summary>
public sealed class PretrainStage : PipelineStage
{
    public override string Name => "pretrain";

    public override string? Upstream => "data";

    public override IEnumerable<(string, string)> Parameters(StageSettings s) =>
    [
        ("preset", JsonSerializer.Serialize(s.Preset with { Align1 = null!, Qa2 = null! }, Json.Compact)),
        ("device", s.Device),
        ("0a-objective", VisionPretraining.Objective),
    ];

    public override void Execute(StageSettings s, bool fresh)
    {
        if (fresh) Clear(StageDir(s, VisionPretraining.Stage), StageDir(s, TextPretraining.Stage));
        TrainVerb.PrintSummary(TrainVerb.Train(Options(s, TrainUntil.TextPretraining), s.Terminal));
    }

    public override IEnumerable<string> Outputs(StageSettings s) =>
    [
        Path.Combine("stages", VisionPretraining.Stage, StageRunner.CheckpointFolder, VisionPretraining.EncoderFile),
        Path.Combine("stages", TextPretraining.Stage, StageRunner.CheckpointFolder, TextPretraining.LanguageModelFile),
    ];

    internal static string StageDir(StageSettings s, string name) => Path.Combine(s.RunDir, "stages", name);

    internal static TrainOptions Options(StageSettings s, TrainUntil until) =>
        new(s.Preset, s.RunDir, s.Variants, Device: s.Device, Until: until);
}
