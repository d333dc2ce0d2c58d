using Pipeline.Train.Model;
using Pipeline.Train.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class StageRunnerTests
{
    [Test]
    public void ATinyStagesLossFalls()
    {
        using var ctx = TinyRun.Context(TinyRun.NewRunDir());
        TextPretraining.Run(ctx);
        var curve = StageRunner.ReadMetrics(ctx.StageDir(TextPretraining.Stage));
        Assert.That(curve, Has.Count.EqualTo(ctx.Preset.Text0b.Steps));
        double first = curve.Take(3).Average(m => m.Loss), last = curve.TakeLast(3).Average(m => m.Loss);
        Assert.That(last, Is.LessThan(first * 0.9), $"loss {first:F3} → {last:F3}");
    }

    [Test]
    public void TextPretrainingOnSceneTranscriptsLearnsToo()
    {
        var preset = Preset.Parse("tiny") with { TextTranscripts = true };
        using var ctx = new RunContext(preset, TinyRun.NewRunDir(), CPU, new SilentObserver());
        var result = TextPretraining.Run(ctx);
        var curve = StageRunner.ReadMetrics(ctx.StageDir(TextPretraining.Stage));
        double first = curve.Take(3).Average(m => m.Loss), last = curve.TakeLast(3).Average(m => m.Loss);
        Assert.That(last, Is.LessThan(first * 0.9), $"loss {first:F3} → {last:F3}");
        Assert.That(result.QuestionAccuracy, Is.InRange(0.0, 1.0));
    }

    [Test]
    public void ResumingMidStageGivesTheSameWeightsAsAnUninterruptedRun()
    {
        string straight = TinyRun.NewRunDir(), interrupted = TinyRun.NewRunDir();
        using (var ctx = TinyRun.Context(straight)) VisionPretraining.Run(ctx);
        using (var ctx = TinyRun.Context(interrupted)) VisionPretraining.Run(ctx, stopAfter: 7);
        var half = StageRunner.ReadState(Path.Combine(interrupted, RunLayout.StagesFolder, VisionPretraining.Stage));
        Assert.That(half, Is.Not.Null);
        Assert.That(half!.Step, Is.EqualTo(7));
        Assert.That(half.Done, Is.False);
        using (var ctx = TinyRun.Context(interrupted)) VisionPretraining.Run(ctx);

        string File(string run) => Path.Combine(run, RunLayout.StagesFolder, VisionPretraining.Stage, StageRunner.CheckpointFolder, VisionPretraining.EncoderFile);
        Assert.That(System.IO.File.ReadAllBytes(File(interrupted)), Is.EqualTo(System.IO.File.ReadAllBytes(File(straight))));
        var curve = StageRunner.ReadMetrics(Path.Combine(interrupted, RunLayout.StagesFolder, VisionPretraining.Stage));
        Assert.That(curve.Select(m => m.Step), Is.EqualTo(Enumerable.Range(1, 20)), "the curve has each step once");
    }

    [Test]
    public void ATornLastMetricsLineIsDroppedOnResume()
    {
        string straight = TinyRun.NewRunDir(), interrupted = TinyRun.NewRunDir();
        using (var ctx = TinyRun.Context(straight)) VisionPretraining.Run(ctx);
        using (var ctx = TinyRun.Context(interrupted)) VisionPretraining.Run(ctx, stopAfter: 10);
        string metrics = Path.Combine(interrupted, RunLayout.StagesFolder, VisionPretraining.Stage, StageRunner.MetricsFile);
        File.AppendAllText(metrics, "{\"step\":11,\"loss\":0.5");  // killed mid-append
        Assert.That(StageRunner.ReadMetrics(Path.GetDirectoryName(metrics)!).Select(m => m.Step), Is.EqualTo(Enumerable.Range(1, 10)));
        using (var ctx = TinyRun.Context(interrupted)) VisionPretraining.Run(ctx);
        var curve = StageRunner.ReadMetrics(Path.GetDirectoryName(metrics)!);
        Assert.That(curve.Select(m => m.Step), Is.EqualTo(Enumerable.Range(1, 20)), "resumed, each step once");
        string Encoder(string run) => Path.Combine(run, RunLayout.StagesFolder, VisionPretraining.Stage, StageRunner.CheckpointFolder, VisionPretraining.EncoderFile);
        Assert.That(File.ReadAllBytes(Encoder(interrupted)), Is.EqualTo(File.ReadAllBytes(Encoder(straight))));
    }

    [Test]
    public void ADamagedMetricsLineBeforeTheLastIsAnError()
    {
        string run = TinyRun.NewRunDir();
        using (var ctx = TinyRun.Context(run)) VisionPretraining.Run(ctx, stopAfter: 10);
        string metrics = Path.Combine(run, RunLayout.StagesFolder, VisionPretraining.Stage, StageRunner.MetricsFile);
        var lines = File.ReadAllLines(metrics);
        lines[2] = "garbage";
        File.WriteAllLines(metrics, lines);
        Assert.That(() => StageRunner.ReadMetrics(Path.GetDirectoryName(metrics)!),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("line 3 is not a metrics record"));
    }

    [Test]
    public void AFinishedStageIsLoadedNotRetrained()
    {
        using var ctx = TinyRun.Context(TinyRun.NewRunDir());
        VisionPretraining.Run(ctx);
        string state = Path.Combine(StageRunner.CheckpointDir(ctx.StageDir(VisionPretraining.Stage)), StageRunner.StateFile);
        var written = File.GetLastWriteTimeUtc(state);
        VisionPretraining.Run(ctx);
        Assert.That(File.GetLastWriteTimeUtc(state), Is.EqualTo(written));
    }

    [Test]
    public void AFinishedStageGivenMoreStepsGoesOnAndEqualsOneRunRestartedAtItsOldEnd()
    {
        var tiny = Preset.Parse("tiny");
        var longer = tiny with { Vision0a = tiny.Vision0a with { Steps = 30, WarmupSteps = 3 } };
        var restarted = longer with { Vision0a = longer.Vision0a with { Schedule = LrSchedule.Restarts, Restarts = new RestartPoints([20]) } };
        string extended = TinyRun.NewRunDir(), straight = TinyRun.NewRunDir();
        using (var ctx = TinyRun.Context(extended)) VisionPretraining.Run(ctx);
        Assert.That(StageRunner.ReadState(Path.Combine(extended, RunLayout.StagesFolder, VisionPretraining.Stage))!.Done, Is.True);
        using (var ctx = new RunContext(longer, extended, CPU, new SilentObserver())) VisionPretraining.Run(ctx);
        using (var ctx = new RunContext(restarted, straight, CPU, new SilentObserver())) VisionPretraining.Run(ctx);

        string File(string run) => Path.Combine(run, RunLayout.StagesFolder, VisionPretraining.Stage, StageRunner.CheckpointFolder, VisionPretraining.EncoderFile);
        Assert.That(System.IO.File.ReadAllBytes(File(extended)), Is.EqualTo(System.IO.File.ReadAllBytes(File(straight))));
        var curve = StageRunner.ReadMetrics(Path.Combine(extended, RunLayout.StagesFolder, VisionPretraining.Stage));
        Assert.That(curve.Select(m => m.Step), Is.EqualTo(Enumerable.Range(1, 30)), "the curve goes on where it stopped");
        Assert.That(StageRunner.ReadState(Path.Combine(extended, RunLayout.StagesFolder, VisionPretraining.Stage)), Has.Property("Step").EqualTo(30).And.Property("Done").True);
    }

    [Test]
    public void ANaNLossStopsTheStageAndKeepsTheLastGoodCheckpoint()
    {
        string dir = Path.Combine(TinyRun.NewRunDir(), "nan-stage");
        manual_seed(3);
        using var module = TorchSharp.torch.nn.Linear(4, 1);
        var x = randn(8, 4);
        var budget = new StageBudget(Steps: 10, BatchSize: 8, LearningRate: 1e-2, WarmupSteps: 1);
        var job = new StageJob("nan", dir, module, module.parameters().ToArray(), budget,
            step => step < 5 ? module.call(x).pow(2).mean() : module.call(x).mean() * float.NaN, CheckpointEvery: 2);
        var error = Assert.Throws<TrainingDivergedException>(() => StageRunner.Run(job, new SilentObserver()));
        Assert.That(error!.Message, Does.Contain("NaN").And.Contain("step 5").And.Contain("last good checkpoint (4 steps)"));
        Assert.That(StageRunner.ReadState(dir)!.Step, Is.EqualTo(4));
        x.Dispose();
    }

    /// <summary>A stage on a fixed regression whose plateau check says "flat" at every checkpoint.</summary>
    static (StageState State, List<int> Checked, byte[] Weights) RunFlat(string dir, StageBudget budget)
    {
        manual_seed(5);
        using var module = TorchSharp.torch.nn.Linear(4, 1);
        using var x = randn(8, 4);
        var checkedAt = new List<int>();
        var job = new StageJob("flat", dir, module, module.parameters().ToArray(), budget,
            _ => module.call(x).pow(2).mean(), CheckpointEvery: 2, Plateaued: step => { checkedAt.Add(step); return true; });
        var state = StageRunner.Run(job, new SilentObserver());
        return (state, checkedAt, File.ReadAllBytes(Path.Combine(StageRunner.CheckpointDir(dir), StageRunner.ModelFile)));
    }

    [Test]
    public void APlateauDoesNotStopAStageBeforeItsMinimumSteps()
    {
        var budget = new StageBudget(Steps: 10, BatchSize: 8, LearningRate: 1e-2, WarmupSteps: 1, Patience: 1, MinSteps: 6);
        var (state, checkedAt, _) = RunFlat(Path.Combine(TinyRun.NewRunDir(), "flat"), budget);
        Assert.That(state, Has.Property("Step").EqualTo(6).And.Property("Plateaued").True.And.Property("Done").True);
        Assert.That(checkedAt, Is.EqualTo(new[] { 2, 4, 6 }), "checked at every checkpoint, the minimum only holds the stop back");
    }

    [Test]
    public void AStageStoppedShortOfANewMinimumGoesOnAsIfTheMinimumHadAlwaysHeld()
    {
        var early = new StageBudget(Steps: 10, BatchSize: 8, LearningRate: 1e-2, WarmupSteps: 1, Patience: 1);
        var late = early with { MinSteps = 6 };
        string extended = Path.Combine(TinyRun.NewRunDir(), "flat"), straight = Path.Combine(TinyRun.NewRunDir(), "flat");
        Assert.That(RunFlat(extended, early).State.Step, Is.EqualTo(2), "without a minimum the first checkpoint stops it");
        var (state, _, weights) = RunFlat(extended, late);
        Assert.That(state.Step, Is.EqualTo(6));
        Assert.That(weights, Is.EqualTo(RunFlat(straight, late).Weights), "extending equals training with the minimum from the start");
        Assert.That(RunFlat(extended, late).Checked, Is.Empty, "stopped at a plateau past its minimum: loaded, not trained on");
    }

    [Test]
    public void BatchesDependOnlyOnTheStep()
    {
        var a = new BatchSampler(10, 4, 1, "s");
        var b = new BatchSampler(10, 4, 1, "s");
        var seen = Enumerable.Range(0, 5).Select(a.Indices).ToArray();
        Assert.That(b.Indices(3), Is.EqualTo(seen[3]), "random access equals sequential");
        Assert.That(seen.Take(2).SelectMany(x => x).Concat(seen[2].Take(2)).Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)), "an epoch visits every example once");
    }

    [Test]
    public void TheScheduleWarmsUpThenDecays()
    {
        var b = new StageBudget(Steps: 100, BatchSize: 1, LearningRate: 1.0, WarmupSteps: 10);
        Assert.That(LearningRateSchedule.At(0, b), Is.EqualTo(0.1).Within(1e-12));
        Assert.That(LearningRateSchedule.At(9, b), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(LearningRateSchedule.At(55, b), Is.LessThan(1.0).And.GreaterThan(0.1));
        Assert.That(LearningRateSchedule.At(100, b), Is.EqualTo(0.1).Within(1e-12));
    }

    [Test]
    public void EveryStagesAdamWHasTheLibrarysBeta2WhichTheFoundationsWereTrainedWith()
    {
        // The foundations' recipes were made with the library's β₂; a "default" that drifts from it
        // silently changes them (0b's phase changes are sensitive to it).
        using var p = new Parameter(zeros(2));
        using var library = optim.AdamW([p]);
        static double Beta2(TorchSharp.Modules.AdamW o) => ((optim.IBetas)o.ParamGroups.First()).Betas.Item2;
        Assert.That(Beta2(library), Is.EqualTo(0.999), "TorchSharp's (and PyTorch's) default");
        using (var named = StageRunner.NewOptimizer([p], new StageBudget(Steps: 1, BatchSize: 1, LearningRate: 1e-3, WarmupSteps: 0, Beta2: 0.95)))
            Assert.That(Beta2(named), Is.EqualTo(0.95), "a budget's own β₂ is used");
        var small = Preset.Parse("small");
        foreach (var budget in new[] { small.Vision0a, small.Text0b, small.WithTextTranscripts().Text0b, small.Align1, small.Qa2 })
        {
            using var ours = StageRunner.NewOptimizer([p], budget);
            Assert.That(Beta2(ours), Is.EqualTo(Beta2(library)), budget.ToString());
        }
    }
}
