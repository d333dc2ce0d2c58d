using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class TrainerTests
{
    [Test]
    public void ATinyRunTrainsAndScoresAllThreeVariants()
    {
        string run = TinyRun.NewRunDir();
        var summary = Trainer.Run(new TrainOptions(Preset.Parse("tiny"), run, Enum.GetValues<Variant>(), Threads: 1), new SilentObserver());
        Assert.That(summary.Variants.Select(v => v.Variant), Is.EqualTo(new[] { "baseline", "norm", "norm-multilayer" }));
        foreach (var v in summary.Variants)
        {
            Assert.That(v.Questions, Is.EqualTo(300));
            Assert.That(v.PerCategory.Keys, Has.Count.EqualTo(6));
            Assert.That(v.PerObjectCount.Keys, Is.EqualTo(new[] { "2", "3", "4", "5", "6" }));
            Assert.That(v.Overall, Is.InRange(0.0, 1.0));
            string dir = Path.Combine(run, RunLayout.StagesFolder, v.Variant, VariantTraining.QaStage, StageRunner.CheckpointFolder);
            Assert.That(CheckpointFiles.ReadConfig(dir).Variant.ToCliName(), Is.EqualTo(v.Variant));
            Assert.That(File.Exists(Path.Combine(dir, CheckpointFiles.VocabFile)), Is.True);
        }
        // The norm adapter pins vision-token norms near the text scale; the baseline does not.
        var norm = summary.Variants.Single(v => v.Variant == "norm");
        Assert.That(norm.VisionTokenNormMean, Is.LessThanOrEqualTo(summary.NormConstants!.TargetMean * summary.NormConstants.MaxNorm * 1.0001));
        Assert.That(File.Exists(Path.Combine(run, RunLayout.StagesFolder, Trainer.SummaryFile)), Is.True);
    }

    [Test]
    public void ResumingACheckpointOfAnotherVisionTowerIsRefused()
    {
        string run = TinyRun.NewRunDir();
        var tiny = Preset.Parse("tiny");
        Trainer.Run(new TrainOptions(tiny, run, [Variant.NormMultilayer], Threads: 1), new SilentObserver());
        var otherTaps = tiny with { Vision = tiny.Vision with { ShallowTap = !tiny.Vision.ShallowTap } };
        Assert.That(() => Trainer.Run(new TrainOptions(otherTaps, run, [Variant.NormMultilayer], Threads: 1), new SilentObserver()),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("another vision tower").And.Message.Contains("--run"));
    }

    [Test]
    public void ExtendingAPretrainingStageUnderTrainedVariantsIsRefusedBeforeAnythingTrains()
    {
        string run = TinyRun.NewRunDir();
        var tiny = Preset.Parse("tiny");
        Trainer.Run(new TrainOptions(tiny, run, [Variant.Baseline], Threads: 1), new SilentObserver());
        string state = Path.Combine(run, RunLayout.StagesFolder, TextPretraining.Stage, StageRunner.CheckpointFolder, StageRunner.StateFile);
        string before = File.ReadAllText(state);
        var longer = tiny with { Text0b = tiny.Text0b with { Steps = 30 } };
        Assert.That(() => Trainer.Run(new TrainOptions(longer, run, [Variant.Baseline], Threads: 1, Until: TrainUntil.TextPretraining), new SilentObserver()),
            Throws.InstanceOf<IOException>().With.Message.Contains("0b-text would be extended").And.Message.Contains("baseline"));
        Assert.That(File.ReadAllText(state), Is.EqualTo(before), "nothing trained");
        var longerAlign = tiny with { Align1 = tiny.Align1 with { Steps = 15 } };
        Assert.That(() => Trainer.Run(new TrainOptions(longerAlign, run, [Variant.Baseline], Threads: 1), new SilentObserver()),
            Throws.InstanceOf<IOException>().With.Message.Contains("baseline/1-align would be extended").And.Message.Contains("baseline/2-qa"));
        var longerQa = tiny with { Qa2 = tiny.Qa2 with { Steps = 25 } };
        var summary = Trainer.Run(new TrainOptions(longerQa, run, [Variant.Baseline], Threads: 1), new SilentObserver());
        Assert.That(StageRunner.ReadState(Path.Combine(run, RunLayout.StagesFolder, "baseline", VariantTraining.QaStage))!.Step, Is.EqualTo(25), "the last stage extends");
        Assert.That(File.ReadAllText(state), Is.EqualTo(before));
        Assert.That(summary.Variants, Has.Count.EqualTo(1));
    }

    [Test]
    public void BadInputsGetClearErrors()
    {
        Assert.That(() => Preset.Parse("huge"), Throws.ArgumentException.With.Message.Contains("tiny, quick, small, full"));
        Assert.That(() => VariantNames.Parse("fancy"), Throws.ArgumentException.With.Message.Contains("baseline, norm, norm-multilayer"));
        string empty = Path.Combine(Path.GetTempPath(), $"pipeline-empty-{Guid.NewGuid():N}");
        Assert.That(() => TinyRun.Context(empty), Throws.InstanceOf<DirectoryNotFoundException>().With.Message.Contains("pipeline run"));
        Assert.That(() => Trainer.ResolveDevice("cuda"), Throws.InstanceOf<NotSupportedException>().With.Message.Contains("--device cpu"));
        Assert.That(() => Trainer.ResolveDevice("tpu"), Throws.ArgumentException);
    }
}
