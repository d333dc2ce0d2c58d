using Pipeline.Cli.Verbs;
using Pipeline.Train.Training;
using static Pipeline.Tests.Cli.CliRunner;

namespace Pipeline.Tests.Cli;

[TestFixture]
public class TrainVerbTests
{
    [Test]
    public void StepOverridesChangeOnlyTheNamedStagesAndScaleTheirWarmUp()
    {
        var small = Preset.Parse("small");
        var p = TrainVerb.WithSteps(small, ["0b=3000", "2=500"]);
        Assert.That(p.Text0b.Steps, Is.EqualTo(3000));
        Assert.That(p.Text0b.WarmupSteps, Is.EqualTo(small.Text0b.WarmupSteps * 3));
        Assert.That(p.Qa2.Steps, Is.EqualTo(500));
        Assert.That(p.Vision0a, Is.EqualTo(small.Vision0a));
        Assert.That(p.Align1, Is.EqualTo(small.Align1));
    }

    [Test]
    public void LearningRateOverridesChangeOnlyTheNamedStages()
    {
        var small = Preset.Parse("small");
        var p = TrainVerb.WithLearningRates(small, ["0a=3e-4"]);
        Assert.That(p.Vision0a, Is.EqualTo(small.Vision0a with { LearningRate = 3e-4 }));
        Assert.That(p with { Vision0a = small.Vision0a }, Is.EqualTo(small));
    }

    [Test]
    public void TapsChooseTheMultilayerSchedule()
    {
        var small = Preset.Parse("small");
        Assert.That(small.Vision.TapLayers, Is.EqualTo(new[] { 3, 4, 5, 6 }), "the paper's 12, 16, 20, 24 of 24, scaled to 6 layers");
        Assert.That(TrainVerb.WithTaps(small, " Shallow ").Vision.TapLayers, Is.EqualTo(new[] { 1, 3, 5, 6 }));
        Assert.That(TrainVerb.WithTaps(small, "paper").Vision, Is.EqualTo(small.Vision));
        Assert.That(TrainVerb.WithTaps(small, null), Is.EqualTo(small));
    }

    [Test]
    public void TextFormatChoosesStage0bSequences()
    {
        var small = Preset.Parse("small");
        Assert.That(small.TextTranscripts, Is.False);
        var transcript = TrainVerb.WithTextFormat(small, " Transcript ");
        Assert.That(transcript, Is.EqualTo(small with { TextTranscripts = true, Text0b = transcript.Text0b }), "only 0b changes");
        Assert.That(transcript.Text0b, Is.EqualTo(small.Text0b with { Steps = 20_000, WarmupSteps = 1_200, Schedule = LrSchedule.Restarts, Restarts = new RestartPoints([2_000, 4_000, 6_000, 6_200]) }),
            "the recipe of the 99.3% transcript LM");
        var tiny = Preset.Parse("tiny");
        Assert.That(TrainVerb.WithTextFormat(tiny, "transcript"), Is.EqualTo(tiny with { TextTranscripts = true }), "tests and smoke runs keep their 0b budget");
        var shorter = TrainVerb.WithOverrides(small, new PresetOverrides(null, null, "transcript", ["0b=6000"], [], [], []));
        Assert.That(shorter.Text0b with { Restarts = null, Schedule = LrSchedule.Cosine }, Is.EqualTo(small.Text0b with { Steps = 6_000, WarmupSteps = 360 }));
        Assert.That(Enumerable.Range(0, 6_000).Select(step => LearningRateSchedule.At(step, shorter.Text0b)),
            Is.EqualTo(Enumerable.Range(0, 6_000).Select(step => LearningRateSchedule.At(step, small.Text0b with { Steps = 6_000, WarmupSteps = 360, Schedule = LrSchedule.Restarts, Restarts = new RestartPoints([2_000, 4_000]) }))),
            "--steps 0b=6000 stops it where the 6,000-step LM was: the restarts past the end drop out");
        Assert.That(TrainVerb.WithTextFormat(small, "single"), Is.EqualTo(small));
        Assert.That(TrainVerb.WithTextFormat(small, null), Is.EqualTo(small));
        var positions = TrainVerb.WithTextFormat(small, "grid-positions");
        Assert.That(positions, Is.EqualTo(transcript with { TextGrid = 8, TextPositionLookups = true }));
        Assert.That(positions.TextFormatName, Is.EqualTo("grid-positions"));
        Assert.That(TrainVerb.WithTextFormat(positions, "grid-transcript"), Is.EqualTo(transcript with { TextGrid = 8 }), "switching format drops the lookups");
        Assert.That(TrainVerb.WithTextFormat(positions, "single").TextFormatName, Is.EqualTo("single"));
        var pixelPositions = TrainVerb.WithTextFormat(small, "positions");
        Assert.That(pixelPositions, Is.EqualTo(transcript with { TextPositionLookups = true }), "pixel coordinates, lookups asked");
        Assert.That(pixelPositions.TextCell, Is.EqualTo(1));
        Assert.That(pixelPositions.TextFormatName, Is.EqualTo("positions"));
        foreach (string format in Preset.TextFormats)
            Assert.That(TrainVerb.WithTextFormat(positions, format).TextFormatName, Is.EqualTo(format), "every format is named as --text-format names it");
        Assert.That(System.Text.Json.JsonSerializer.Serialize(TrainVerb.WithTextFormat(small, "grid-transcript")), Does.Not.Contain("TextPositionLookups"),
            "records of runs before the option keep their hash");
    }

    [Test]
    public void ASeedChangesOnlyTheTrainingSeed()
    {
        var small = Preset.Parse("small");
        Assert.That(small.Seed, Is.EqualTo(1UL));
        Assert.That(TrainVerb.WithSeed(small, 2), Is.EqualTo(small with { Seed = 2 }));
        Assert.That(TrainVerb.WithSeed(small, null), Is.EqualTo(small));
    }

    [Test]
    public void ASeedOnTheStageVerbsChangesThePretrainRecord()
    {
        var terminal = new Pipeline.Cli.Console.Terminal();
        var plain = new StageOptions { Preset = "tiny" }.Settings(terminal);
        var seeded = new StageOptions { Preset = "tiny", Seed = 2 }.Settings(terminal);
        Assert.That(seeded.Preset.Seed, Is.EqualTo(2UL));
        var stage = new Pipeline.Cli.Stages.PretrainStage();
        Assert.That(stage.Parameters(seeded), Is.Not.EqualTo(stage.Parameters(plain)), "a new seed retrains 0a and 0b, and so everything after them");
    }

    [Test]
    public void TextFormatAndStepsOnTheStageVerbsChangeThePretrainRecord()
    {
        var terminal = new Pipeline.Cli.Console.Terminal();
        var plain = new StageOptions { Preset = "tiny" }.Settings(terminal);
        var transcript = new StageOptions { Preset = "tiny", TextFormat = "transcript", Steps = ["0b=40"] }.Settings(terminal);
        Assert.That(transcript.Preset.TextTranscripts, Is.True);
        Assert.That(transcript.Preset.Text0b.Steps, Is.EqualTo(40));
        Assert.That(transcript.Preset.Vision0a, Is.EqualTo(plain.Preset.Vision0a));
        var stage = new Pipeline.Cli.Stages.PretrainStage();
        Assert.That(stage.Parameters(transcript), Is.Not.EqualTo(stage.Parameters(plain)), "another 0b corpus or budget retrains the pretraining and everything after it");
    }

    [Test]
    public void AScheduleOnTheStageVerbsChangesOnlyThatStageAndItsRecord()
    {
        var terminal = new Pipeline.Cli.Console.Terminal();
        var plain = new StageOptions { Preset = "tiny" }.Settings(terminal);
        var wsd = new StageOptions { Preset = "tiny", Schedules = ["0b=WSD"] }.Settings(terminal);
        Assert.That(wsd.Preset.Text0b, Is.EqualTo(plain.Preset.Text0b with { Schedule = LrSchedule.Wsd }));
        Assert.That(wsd.Preset with { Text0b = plain.Preset.Text0b }, Is.EqualTo(plain.Preset));
        var stage = new Pipeline.Cli.Stages.PretrainStage();
        Assert.That(stage.Parameters(wsd), Is.Not.EqualTo(stage.Parameters(plain)), "another 0b schedule retrains the pretraining");
        var cosine = new StageOptions { Preset = "tiny", Schedules = ["0b=cosine"] }.Settings(terminal);
        Assert.That(stage.Parameters(cosine), Is.EqualTo(stage.Parameters(plain)), "naming the default keeps the record");
    }

    [Test]
    public void RestartsOnTheStageVerbsReachTheBudgetAndItsRecord()
    {
        var terminal = new Pipeline.Cli.Console.Terminal();
        var plain = new StageOptions { Preset = "tiny", Steps = ["0b=60"] }.Settings(terminal);
        var restarted = new StageOptions { Preset = "tiny", Steps = ["0b=60"], Schedules = ["0b=restarts:20/40"] }.Settings(terminal);
        Assert.That(restarted.Preset.Text0b, Is.EqualTo(plain.Preset.Text0b with { Schedule = LrSchedule.Restarts, Restarts = new RestartPoints([20, 40]) }));
        var stage = new Pipeline.Cli.Stages.PretrainStage();
        Assert.That(stage.Parameters(restarted), Is.Not.EqualTo(stage.Parameters(plain)));
        var other = new StageOptions { Preset = "tiny", Steps = ["0b=60"], Schedules = ["0b=restarts:20/50"] }.Settings(terminal);
        Assert.That(stage.Parameters(other), Is.Not.EqualTo(stage.Parameters(restarted)), "other restart points retrain");
    }

    [Test]
    public void ALearningRateOnTheStageVerbsChangesOnlyThatStageAndItsRecord()
    {
        var terminal = new Pipeline.Cli.Console.Terminal();
        var plain = new StageOptions { Preset = "tiny" }.Settings(terminal);
        var slower = new StageOptions { Preset = "tiny", LearningRates = ["0b=5e-4"] }.Settings(terminal);
        Assert.That(slower.Preset.Text0b, Is.EqualTo(plain.Preset.Text0b with { LearningRate = 5e-4 }));
        Assert.That(slower.Preset with { Text0b = plain.Preset.Text0b }, Is.EqualTo(plain.Preset));
        var stage = new Pipeline.Cli.Stages.PretrainStage();
        Assert.That(stage.Parameters(slower), Is.Not.EqualTo(stage.Parameters(plain)), "another 0b learning rate retrains the pretraining");
    }

    [Test]
    public void ABatchSizeOnTheStageVerbsChangesOnlyThatStageAndItsRecord()
    {
        var terminal = new Pipeline.Cli.Console.Terminal();
        var plain = new StageOptions { Preset = "tiny" }.Settings(terminal);
        var half = new StageOptions { Preset = "tiny", BatchSizes = ["0b=8"] }.Settings(terminal);
        Assert.That(half.Preset.Text0b, Is.EqualTo(plain.Preset.Text0b with { BatchSize = 8 }), "the learning rate stays the preset's");
        Assert.That(half.Preset with { Text0b = plain.Preset.Text0b }, Is.EqualTo(plain.Preset));
        var stage = new Pipeline.Cli.Stages.PretrainStage();
        Assert.That(stage.Parameters(half), Is.Not.EqualTo(stage.Parameters(plain)), "another 0b batch retrains the pretraining");
    }

    [TestCase("run", "--text-format", "dense", "unknown --text-format")]
    [TestCase("run", "--steps", "0b=many", "positive step count")]
    [TestCase("run", "--schedule", "0b=linear", "cosine, wsd or restarts")]
    [TestCase("run", "--schedule", "0b=restarts:4000/2000", "cosine, wsd or restarts")]
    [TestCase("run", "--schedule", "0b=restarts:20", "inside the stage's 20 steps")]
    [TestCase("run", "--lr", "0b=fast", "positive learning rate")]
    [TestCase("run", "--batch", "0b=0", "positive batch size")]
    [TestCase("stage", "--steps", "3=10", "unknown stage")]
    public void BadTextOptionsOnTheStageVerbsGetOneLine(string verb, string option, string value, string message)
    {
        string run = Path.Combine(Path.GetTempPath(), $"pipeline-run-bad-{Guid.NewGuid():N}");
        string[] name = verb == "stage" ? ["pretrain"] : [];
        var (code, error) = Run([verb, .. name, "--preset", "tiny", "--out", run, option, value]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(run), Is.False, "nothing written");
    }

    [TestCase("--steps", "0c=10", "unknown stage")]
    [TestCase("--steps", "0a=-1", "positive step count")]
    [TestCase("--lr", "0a=fast", "positive learning rate")]
    [TestCase("--schedule", "0b=1", "cosine, wsd or restarts")]
    [TestCase("--schedule", "4=wsd", "unknown stage")]
    [TestCase("--lr", "3=1e-3", "unknown stage")]
    [TestCase("--batch", "0b=half", "positive batch size")]
    [TestCase("--until", "2", "unknown --until")]
    [TestCase("--taps", "deep", "unknown --taps")]
    [TestCase("--text-format", "dense", "unknown --text-format")]
    [TestCase("--seed", "-3", "--seed must be zero or positive")]
    [TestCase("--variant", "fancy", "valid variants")]
    [TestCase("--preset", "huge", "unknown preset")]
    [TestCase("--device", "cuda", "--device cpu")]
    public void BadOptionsGetOneLineAndExitCode2(string option, string value, string message)
    {
        string run = Path.Combine(Path.GetTempPath(), $"pipeline-train-bad-{Guid.NewGuid():N}");
        string[] preset = option == "--preset" ? [] : ["--preset", "tiny"];
        var (code, error) = Run(["train", .. preset, "--run", run, option, value]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(run), Is.False, "nothing written");
    }

    [Test]
    public void AMissingDataFolderNamesTheFix()
    {
        string run = Path.Combine(Path.GetTempPath(), $"pipeline-train-nodata-{Guid.NewGuid():N}");
        var (code, error) = Run("train", "--preset", "tiny", "--run", run);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("missing data folder").And.Contain("pipeline run"));
    }
}
