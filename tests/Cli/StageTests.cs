using Pipeline.Cli.Stages;
using Pipeline.Runtime;
using static Pipeline.Tests.Cli.CliRunner;

namespace Pipeline.Tests.Cli;

/// <summary>The stage engine through the CLI on the tiny preset: skip what is up to date, redo what changed.</summary>
public sealed class StageTests
{
    string _run = "";

    static string[] Args(string verb, string run, params string[] more) => [verb, .. more, "--preset", "tiny", "--out", run, "--ep", "cpu"];

    [OneTimeSetUp]
    public void RunTinyPipeline()
    {
        _run = TestScratch.Dir("stage-tests");
        var (code, error) = Run(Args("run", _run));
        Assert.That(code, Is.Zero, error);
    }

    static Dictionary<string, DateTime> RecordTimes(string run) =>
        StageEngine.Names.Where(n => File.Exists(StageRecord.PathOf(run, n))).ToDictionary(n => n, n => File.GetLastWriteTimeUtc(StageRecord.PathOf(run, n)));

    [Test, Order(1)]
    public void EveryStageLeavesARecordAndASecondRunDoesNothing()
    {
        var before = RecordTimes(_run);
        Assert.That(before.Keys, Is.EquivalentTo(StageEngine.Names));
        Assert.That(Run(Args("run", _run)).Code, Is.Zero);
        Assert.That(RecordTimes(_run), Is.EqualTo(before));
    }

    [Test, Order(2)]
    public void ChangingTheOpsetRedoesExportAndWhatFollowsOnly()
    {
        var before = RecordTimes(_run);
        Assert.That(Run(Args("run", _run, "--opset", "23")).Code, Is.Zero);
        var after = RecordTimes(_run);
        int export = Array.IndexOf(StageEngine.Names.ToArray(), "export");
        foreach (var (name, i) in StageEngine.Names.Select((n, i) => (n, i)))
            Assert.That(after[name] != before[name], Is.EqualTo(i >= export), $"stage {name}");
        Assert.That(ArtifactFiles.ReadManifest(Path.Combine(_run, "artifacts", "baseline")).Opset, Is.EqualTo(23));
    }

    [Test, Order(3)]
    public void AStageWhoseOutputWasDeletedRunsAgain()
    {
        string manifest = Path.Combine(_run, "artifacts", "norm", ArtifactManifest.FileName);
        File.Delete(manifest);
        var train = File.GetLastWriteTimeUtc(StageRecord.PathOf(_run, "train"));
        Assert.That(Run(Args("stage", _run, "export", "--opset", "23")).Code, Is.Zero);
        Assert.That(File.Exists(manifest));
        Assert.That(File.GetLastWriteTimeUtc(StageRecord.PathOf(_run, "train")), Is.EqualTo(train));
    }

    [Test, Order(4)]
    public void TheCompressionStudyTrainsOnlyThePooledModelsAndDrawsFig2()
    {
        string unpooled = Path.Combine(_run, RunLayout.StagesFolder, "norm", "2-qa", "checkpoint", "model.dat");
        var trained = File.GetLastWriteTimeUtc(unpooled);
        Assert.That(Run(Args("run", _run, "--opset", "23", "--compression", "1,2")).Code, Is.Zero);
        Assert.That(File.GetLastWriteTimeUtc(unpooled), Is.EqualTo(trained), "adding pooled models keeps the trained ones");
        foreach (string variant in new[] { "baseline", "norm", "norm-multilayer" })
            foreach (int k in new[] { 1, 2 })
            {
                Assert.That(ArtifactFiles.ReadManifest(Path.Combine(_run, "artifacts", $"{variant}-pool{k}")).Adapters.NumImageTokens, Is.EqualTo(k * k));
                Assert.That(File.Exists(Path.Combine(_run, "eval", $"{variant}-pool{k}", "eval.json")));
            }
        Assert.That(File.Exists(Path.Combine(_run, "report", "accuracy-by-vision-tokens.png")));
        string report = File.ReadAllText(Path.Combine(_run, "report", "report.md"));
        Assert.That(report, Does.Contain("1×1 = 1").And.Contain("2×2 = 4"));
        // The one-seed claims table reads the one-token models: the compression claim gets a number.
        Assert.That(report, Does.Match(@"\| Compression to one token [^\n]*\| [-+]?\d+\.\d points \(one seed: no interval\)"));
        Assert.That(report, Does.Not.Contain("Not measured here: Compression to one token"));
    }

    [Test, Order(5)]
    public void TheReportFolderStandsAloneAndItsHtmlTitleHasNoMarkup()
    {
        string report = Path.Combine(_run, "report");
        string md = File.ReadAllText(Path.Combine(report, "report.md"));
        var links = System.Text.RegularExpressions.Regex.Matches(md, @"!\[[^\]]*\]\(([^)]+)\)|\[SVG\]\(([^)]+)\)")
            .Select(m => Uri.UnescapeDataString(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)).ToArray();
        Assert.That(links, Is.Not.Empty);
        Assert.That(links.Where(l => l.EndsWith(".svg", StringComparison.Ordinal)), Is.Not.Empty, "the SVG copies are linked too");
        foreach (string link in links)
        {
            Assert.That(link, Does.Not.StartWith(".."), "a figure outside the report folder breaks a copied report");
            Assert.That(File.Exists(Path.Combine(report, link)), link);
        }
        string html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.That(html, Does.Contain("<title>Spatial awareness study: preset tiny</title>"));
        Assert.That(html, Does.Contain("<h1>Spatial awareness study: preset <code>tiny</code></h1>"));
    }

    [Test]
    public void ANewPlateauMinimumOrCompressionKeepsTheTrainedModelsAnythingElseStartsOver()
    {
        var stage = new TrainStage();
        var before = new Dictionary<string, string> { ["qa"] = "Steps = 5000, Patience = 3", ["variants"] = "baseline" };
        Assert.That(stage.KeepsOutputs(before, new Dictionary<string, string>(before) { ["qa-min-steps"] = "2500" }), Is.True);
        Assert.That(stage.KeepsOutputs(before, new Dictionary<string, string>(before) { ["compression"] = "1" }), Is.True);
        Assert.That(stage.KeepsOutputs(before, new Dictionary<string, string>(before) { ["qa"] = "Steps = 4000, Patience = 3" }), Is.False);
    }

    [Test]
    public void ACompressionGridOutsideTheTokenGridIsRefused()
    {
        var (code, error) = Run(Args("run", TestScratch.Dir("stages-compression"), "--compression", "9"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--compression 9"));
    }

    [Test]
    public void AStageBeforeItsUpstreamSaysWhatToRunFirst()
    {
        var (code, error) = Run(Args("stage", TestScratch.Dir("stages-empty"), "pretrain"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("needs stage 'data' first"));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("stage", "evaluate", "unknown stage")]
    [TestCase("run", "--opset", "unsupported-opset")]
    public void BadOptionsFailInOneLine(string verb, string a, string expected)
    {
        string[] args = a == "--opset" ? Args(verb, _run, "--opset", "11") : Args(verb, _run, a);
        var (code, error) = Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(expected == "unsupported-opset" ? "--opset 11 is not supported" : expected));
    }

    [Test]
    public void AnUnknownEpFailsBeforeAnyWork()
    {
        string run = TestScratch.Dir("stages-ep");
        var (code, error) = Run(["run", "--preset", "tiny", "--out", run, "--ep", "tpu"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("unknown --ep 'tpu'"));
        Assert.That(Directory.Exists(run), Is.False);
    }
}
