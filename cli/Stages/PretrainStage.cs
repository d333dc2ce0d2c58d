using Pipeline.Cli.Services;
using System.Text.Json;
using Pipeline.Cli.Verbs;
using Pipeline.Data;
using Pipeline.Train.Foundations;
using Pipeline.Train.Text;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>
/// Stages 0a (vision encoder) and 0b (language model), shared by the three variants: trained here,
/// or, with foundations, verified and copied into the run from the foundation folder.
/// </summary>
public sealed class PretrainStage : PipelineStage
{
    public override string Name => "pretrain";

    public override string? Upstream => "data";

    public override IEnumerable<(string, string)> Parameters(StageSettings s) => s.Foundations is string dir
        ? [("preset", s.Preset.Name), ("foundations", FoundationSet.IdOf(dir))]
        :
        [
            ("preset", JsonSerializer.Serialize(s.Preset with { Align1 = null!, Qa2 = null! }, Json.Compact)),
            ("device", s.Device),
            ("0a-objective", VisionPretraining.Objective),
        ];

    public override void Execute(StageSettings s, bool fresh)
    {
        if (s.Foundations is string dir)
        {
            Install(s, dir);
            return;
        }
        if (fresh) Clear(StageDir(s, VisionPretraining.Stage), StageDir(s, TextPretraining.Stage));
        TrainingRuns.PrintSummary(TrainingRuns.Train(Options(s, TrainUntil.TextPretraining), s.Terminal));
    }

    /// <summary>Copies the verified foundation models into the run, after checking they fit its preset and vocabulary.</summary>
    static void Install(StageSettings s, string dir)
    {
        var set = FoundationSet.Load(dir);
        var vocab = new WordVocab(VocabFile.Read(Path.Combine(s.Layout.Data("train"), DatasetWriter.VocabFile)));
        set.CheckFits(s.Preset, vocab);
        AtomicDirectory.Write(s.Layout.Foundations, force: true, tmp =>
        {
            foreach (var model in new[] { set.Vision, set.Language })
            {
                string target = Path.Combine(tmp, Path.GetFileName(model.Dir));
                Directory.CreateDirectory(target);
                foreach (var file in model.Manifest.Files.Select(f => f.Path).Append(FoundationManifest.FileName))
                    File.Copy(model.FilePath(file), Path.Combine(target, file));
            }
        });
        var lm = set.Language.Manifest;
        s.Terminal.Info($"pretrain: stages 0a and 0b from {dir}: encoder {set.Vision.Id[..12]} (presence {set.Vision.Score("presence"):P1}), " +
            $"language model {set.Language.Id[..12]} (text {set.Language.Score("text_accuracy"):P1}{(lm.Finished ? "" : $", unfinished at step {lm.ProducedBy.Steps}")})");
    }

    public override IEnumerable<string> Outputs(StageSettings s) => s.Foundations is not null
        ?
        [
            RunLayout.Relative(RunLayout.FoundationsFolder, FoundationSet.VisionFolder, FoundationManifest.FileName),
            RunLayout.Relative(RunLayout.FoundationsFolder, FoundationSet.LanguageFolder, FoundationManifest.FileName),
        ]
        :
        [
            RunLayout.Relative(RunLayout.StagesFolder, VisionPretraining.Stage, StageRunner.CheckpointFolder, VisionPretraining.EncoderFile),
            RunLayout.Relative(RunLayout.StagesFolder, TextPretraining.Stage, StageRunner.CheckpointFolder, TextPretraining.LanguageModelFile),
        ];

    internal static string StageDir(StageSettings s, string name) => s.Layout.Stage(name);

    internal static TrainOptions Options(StageSettings s, TrainUntil until) =>
        new(s.Preset, s.RunDir, s.Variants, Device: s.Device, Until: until,
            Foundations: s.Foundations is null ? null : FoundationSet.Load(s.Layout.Foundations), NormRule: s.NormRule);
}
