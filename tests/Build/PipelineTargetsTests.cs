using Pipeline.Runtime;

namespace Pipeline.Tests.Build;

/// <summary>
/// build/Pipeline.targets end to end with the real CLI on the tiny preset: one run shared by the
/// tests (about a minute), then builds that must skip or re-run exactly the right stages.
/// </summary>
public sealed class PipelineTargetsTests
{
    string _dir = "", _run = "";

    Dictionary<string, string> Properties(string opset = "17") => new()
    {
        ["PipelinePreset"] = "tiny", ["PipelineOut"] = _run, ["PipelineEp"] = "cpu", ["PipelineOpset"] = opset,
        ["PipelineConfiguration"] = MSBuildRunner.Configuration,
    };

    [OneTimeSetUp]
    public void RunTheTinyPipeline()
    {
        _dir = MSBuildRunner.Scratch("pipeline");
        _run = Path.Combine(_dir, "run");
        var first = MSBuildRunner.Stages("Pipeline", Properties());
        Assert.That(first.Succeeded, first.ToString());
        Assert.That(first.RanTargets, Is.EqualTo(BuildResult.Targets), first.ToString());
        Assert.That(first.Output, Does.Contain("train: done in"), "the CLI's lines reach the MSBuild log");
        foreach (var t in BuildResult.Targets)
            Assert.That(File.Exists(Path.Combine(_run, "state", t.ToLowerInvariant() + ".json")), $"{t} left no record");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Test, Order(1)]
    public void ASecondBuildSkipsEveryStage()
    {
        var records = BuildResult.Targets.ToDictionary(t => t, t => File.ReadAllBytes(Path.Combine(_run, "state", t.ToLowerInvariant() + ".json")));
        var second = MSBuildRunner.Stages("Pipeline", Properties());
        Assert.That(second.Succeeded, second.ToString());
        Assert.That(second.RanTargets, Is.Empty, second.ToString());
        foreach (var t in BuildResult.Targets)
        {
            Assert.That(second.Skipped(t), $"{t} not skipped\n{second}");
            Assert.That(File.ReadAllBytes(Path.Combine(_run, "state", t.ToLowerInvariant() + ".json")), Is.EqualTo(records[t]));
        }
    }

    [Test, Order(2)]
    public void ChangingTheOpsetRerunsExactlyExportValidateEvalAndReport()
    {
        var result = MSBuildRunner.Stages("Pipeline", Properties(opset: "23"));
        Assert.That(result.Succeeded, result.ToString());
        Assert.That(result.RanTargets, Is.EqualTo(new[] { "Export", "Validate", "Eval", "Report" }), result.ToString());
        foreach (var t in new[] { "Data", "Pretrain", "Train" })
            Assert.That(result.Skipped(t), $"{t} not skipped\n{result}");
        Assert.That(ArtifactFiles.ReadManifest(Path.Combine(_run, "artifacts", "baseline")).Opset, Is.EqualTo(23));
    }
}
