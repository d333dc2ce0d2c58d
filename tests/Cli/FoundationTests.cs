using Pipeline.Cli.Stages;
using Pipeline.Cli.Verbs;
using Pipeline.Train.Foundations;
using Pipeline.Train.Training;
using static Pipeline.Tests.Cli.CliRunner;

namespace Pipeline.Tests.Cli;

/// <summary>
/// Foundation models through the CLI on the tiny preset: 'pretrain' writes them, a run starts from
/// them instead of training 0a/0b, and a damaged or swapped model is caught or re-runs what depends on it.
/// </summary>
public sealed class FoundationTests
{
    string _first = "", _second = "";

    static string[] RunArgs(string run, string foundations, params string[] more) =>
        ["run", "--preset", "tiny", "--out", run, "--ep", "cpu", "--foundations", foundations, .. more];

    static string Pretrain(string name, long seed)
    {
        string root = TestScratch.Dir(name);
        var (code, error) = Run("pretrain", "--preset", "tiny", "--run", Path.Combine(root, "run"), "--out", Path.Combine(root, "models"), "--seed", seed.ToString());
        Assert.That(code, Is.Zero, error);
        return Path.Combine(root, "models");
    }

    [OneTimeSetUp]
    public void PretrainTwoFoundations()
    {
        _first = Pretrain("foundation-a", 1);
        _second = Pretrain("foundation-b", 2);
    }

    [Test]
    public void PretrainWritesBothModelsWithManifestsThatLoad()
    {
        var set = FoundationSet.Load(_first);
        Assert.That(set.Vision.Manifest.Kind, Is.EqualTo(FoundationManifest.VisionEncoder));
        Assert.That(set.Language.Manifest.Kind, Is.EqualTo(FoundationManifest.LanguageModel));
        Assert.That(set.Language.Manifest.ProducedBy.Command, Does.StartWith("pipeline pretrain --preset tiny"));
        Assert.That(set.Language.Manifest.ProducedBy.Steps, Is.EqualTo(Preset.Parse("tiny").Text0b.Steps));
        Assert.That(set.Language.Manifest.Finished, Is.True);
        Assert.That(set.Language.Manifest.Scores.Keys, Does.Contain("text_accuracy").And.Contain("text.shape.rel").And.Contain("norm_mean"));
        Assert.That(set.Vision.Manifest.Scores.Keys, Does.Contain("presence").And.Contain("patch_shapes"));
        Assert.That(set.Id, Is.Not.EqualTo(FoundationSet.Load(_second).Id), "another seed, another model");
    }

    [Test]
    public void ARunWithFoundationsSkipsPretrainingAndItsRecordNamesTheirHashes()
    {
        string run = TestScratch.Dir("foundation-run");
        var (code, error) = Run(RunArgs(run, _first, "--until", "train"));
        Assert.That(code, Is.Zero, error);
        Assert.That(Directory.Exists(Path.Combine(run, RunLayout.StagesFolder, VisionPretraining.Stage)), Is.False, "0a was not trained");
        Assert.That(Directory.Exists(Path.Combine(run, RunLayout.StagesFolder, TextPretraining.Stage)), Is.False, "0b was not trained");
        var set = FoundationSet.Load(_first);
        var record = StageRecord.Read(StageRecord.PathOf(run, "pretrain"))!;
        Assert.That(record.Inputs["foundations"], Does.Contain(set.Vision.Id).And.Contain(set.Language.Id));
        Assert.That(FoundationSet.Load(Path.Combine(run, "foundations")).Id, Is.EqualTo(set.Id), "the run keeps its own verified copy");
        var summary = Trainer.ReadSummary(run)!;
        Assert.That(summary.Text!.QuestionAccuracy, Is.EqualTo(set.Language.Score("text_accuracy")));
        Assert.That(summary.Foundations, Does.Contain(set.Language.Id));
        Assert.That(File.ReadAllText(Path.Combine(run, RunLayout.StagesFolder, "training.md")), Does.Contain("the foundation models"));
    }

    [Test]
    public void ReplacingAFoundationRerunsStagesOneAndTwoAndNothingBefore()
    {
        string run = TestScratch.Dir("foundation-swap");
        Assert.That(Run(RunArgs(run, _first, "--until", "train")).Code, Is.Zero);
        DateTime Time(string stage) => File.GetLastWriteTimeUtc(StageRecord.PathOf(run, stage));
        string model = Path.Combine(run, RunLayout.StagesFolder, "baseline", "2-qa", "checkpoint", "model.dat");
        var (data, pretrain, train, weights) = (Time("data"), Time("pretrain"), Time("train"), File.ReadAllBytes(model));

        Assert.That(Run(RunArgs(run, _first, "--until", "train")).Code, Is.Zero);
        Assert.That(Time("train"), Is.EqualTo(train), "the same foundations: nothing runs");

        var (code, error) = Run(RunArgs(run, _second, "--until", "train"));
        Assert.That(code, Is.Zero, error);
        Assert.That(Time("data"), Is.EqualTo(data), "the data stay");
        Assert.That(Time("pretrain"), Is.GreaterThan(pretrain));
        Assert.That(Time("train"), Is.GreaterThan(train));
        Assert.That(File.ReadAllBytes(model), Is.Not.EqualTo(weights), "stages 1-2 retrained on the new models");
        Assert.That(StageRecord.Read(StageRecord.PathOf(run, "pretrain"))!.Inputs["foundations"], Does.Contain(FoundationSet.Load(_second).Language.Id));
    }

    [Test]
    public void AFlippedByteIsRefusedInOneLine()
    {
        string copy = TestScratch.Dir("foundation-flipped");
        CopyDirectory(_first, copy);
        string lm = Path.Combine(copy, FoundationSet.LanguageFolder, TextPretraining.LanguageModelFile);
        var bytes = File.ReadAllBytes(lm);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(lm, bytes);

        var (code, error) = Run(RunArgs(TestScratch.Dir("foundation-flipped-run"), copy, "--until", "train"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("language_model.dat does not match its SHA-256"));
    }

    [Test]
    public void FoundationsOfAnotherArchitectureAreRefused()
    {
        string run = TestScratch.Dir("foundation-quick");
        var (code, error) = Run(["run", "--preset", "quick", "--out", run, "--ep", "cpu", "--foundations", _first, "--until", "pretrain"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("another architecture than preset 'quick'"));
    }

    [Test]
    public void OptionsThatChangePretrainingRefuseFoundations()
    {
        var (code, error) = Run(RunArgs(TestScratch.Dir("foundation-override"), _first, "--steps", "0b=30"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--steps 0a/0b change stages 0a/0b").And.Contain("--foundations scratch"));
    }

    [Test]
    public void PresetsWithoutShippedModelsTrainTheirOwn()
    {
        Assert.That(FoundationChoice.Resolve("auto", "tiny", []), Is.Null);
        Assert.That(FoundationChoice.Resolve("scratch", "small", []), Is.Null);
        Assert.That(() => FoundationChoice.Resolve("shipped", "tiny", []), Throws.ArgumentException.With.Message.Contains("no shipped foundation models"));
    }

    [Test]
    public void PretrainRefusesToOverwriteWithoutForce()
    {
        var (code, error) = Run("pretrain", "--preset", "tiny", "--run", TestScratch.Dir("foundation-again"), "--out", _first);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("already holds foundation models"));
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }

    [Test]
    public void AStudyOverSeedsRunsEachSeedOnSharedDataAndJudgesTheClaims()
    {
        string run = TestScratch.Dir("seed-study");
        var (code, error) = Run(RunArgs(run, _first, "--seeds", "2"));
        Assert.That(code, Is.Zero, error);
        var layout = Pipeline.Core.RunLayout.At(run);
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            Assert.That(File.Exists(Path.Combine(layout.Seed(seed), "eval", "norm-multilayer", "eval.json")), Is.True, $"seed {seed} evaluated");
            Assert.That(new DirectoryInfo(Path.Combine(layout.Seed(seed), "data")).LinkTarget, Is.EqualTo(Path.Combine(run, "data")), "data shared, not copied");
        }
        var result = Pipeline.Eval.Reports.MetricsJson.Read<Pipeline.Eval.SeedStudyResult>(Path.Combine(layout.Report, Pipeline.Study.Reports.SeedStudyReport.JsonFile));
        Assert.That(result.Seeds, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(result.Variants.Select(v => v.Variant), Is.EqualTo(new[] { "baseline", "norm", "norm-multilayer" }));
        Assert.That(result.Claims.Select(c => c.Claim), Has.Some.StartsWith("+Normalize improves"));
        string md = File.ReadAllText(Path.Combine(layout.Report, Pipeline.Study.Reports.SeedStudyReport.MarkdownFile));
        Assert.That(md, Does.Contain("Verdicts").And.Contain("Paired differences").And.Contain("seeds-accuracy.png").And.Contain("Stage 2 per seed"));
        var curve = Pipeline.Train.Training.ValCurve.Read<Pipeline.Data.Stage2Point>(Path.Combine(layout.Seed(1), RunLayout.StagesFolder, "norm", Pipeline.Train.Training.VariantTraining.QaStage));
        Assert.That(curve, Is.Not.Empty, "stage 2 ran until its plateau or cap, with a validation curve");

        // Two seeds differ: their trained models are not the same.
        var one = File.ReadAllText(Path.Combine(layout.Seed(1), "eval", "norm", "eval.json"));
        var two = File.ReadAllText(Path.Combine(layout.Seed(2), "eval", "norm", "eval.json"));
        Assert.That(one, Is.Not.EqualTo(two));
    }

    [TestCase("--seeds", "0")]
    [TestCase("--seeds", "2", "--until", "eval")]
    public void ABadStudyOverSeedsIsRefusedInOneLine(params string[] more)
    {
        var (code, error) = Run(RunArgs(TestScratch.Dir("seed-study-bad"), _first, more));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
    }

    [Test]
    public void AStudyOverSeedsNeedsFoundations()
    {
        var (code, error) = Run(RunArgs(TestScratch.Dir("seed-study-scratch"), "scratch", "--seeds", "2"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("foundation models"));
    }
}
