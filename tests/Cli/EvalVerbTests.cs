using System.Text.Json;
using Pipeline.Eval.Study;
using Pipeline.Tests.Eval.Study;
using static Pipeline.Tests.Cli.CliRunner;

namespace Pipeline.Tests.Cli;

/// <summary>pipeline eval, compare and report on a tiny run; bad inputs get one line and leave nothing behind.</summary>
public sealed class EvalVerbTests
{
    static (int Code, string Error) Eval(string artifact, string data, string @out, string ep = "cpu") =>
        Run(["eval", "--artifact", artifact, "--data", data, "--out", @out, "--ep", ep, "--seeds", "1"]);

    [Test]
    public void EvalWritesItsFilesAndReportsTheExecutionProvider()
    {
        string output = TestScratch.Dir("eval-out");
        var (code, error) = Eval(TinyStudy.Artifact("baseline"), TinyStudy.TestData, output);
        Assert.That(code, Is.Zero, error);
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { EvalFiles.EvalFile, EvalFiles.PredictionsFile, EvalFiles.NormsFile }));
        var evaluation = EvalFiles.Read(output);
        Assert.That(evaluation.ExecutionProvider, Is.EqualTo("CPUExecutionProvider"));
        Assert.That(evaluation.Variant, Is.EqualTo("baseline"));
        Assert.That(File.ReadLines(Path.Combine(output, EvalFiles.PredictionsFile)).Count(), Is.EqualTo(evaluation.Accuracy.Overall.Total));
    }

    [Test]
    public void AutoUsesCudaWhereItLoadsElseFallsBackToTheCpuAndSaysWhy()
    {
        string output = TestScratch.Dir("eval-auto");
        Assert.That(Run(["eval", "--artifact", TinyStudy.Artifact("norm"), "--data", TinyStudy.TestData, "--out", output, "--ep", "auto", "--seeds", "0"]).Code, Is.Zero);
        var evaluation = EvalFiles.Read(output);
        if (TestMachine.CudaLibrariesLoad)
        {
            Assert.That(evaluation.ExecutionProvider, Is.EqualTo("CUDAExecutionProvider"));
            Assert.That(evaluation.FallbackReason, Is.Null);
        }
        else
        {
            Assert.That(evaluation.ExecutionProvider, Is.EqualTo("CPUExecutionProvider"));
            Assert.That(evaluation.FallbackReason, Is.Not.Null.And.Not.Empty);
        }
    }

    [Test]
    public void CudaRunsWhereItLoadsElseFailsInOneLineAndWritesNothing()
    {
        string output = TestScratch.Dir("eval-cuda");
        var (code, error) = Eval(TinyStudy.Artifact("baseline"), TinyStudy.TestData, output, ep: "cuda");
        if (TestMachine.CudaLibrariesLoad)
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(EvalFiles.Read(output).ExecutionProvider, Is.EqualTo("CUDAExecutionProvider"));
            return;
        }
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("CUDA"));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void ATamperedArtifactIsRefused()
    {
        string artifact = TestScratch.Dir("eval-tampered");
        TestFiles.CopyDirectory(TinyStudy.Artifact("baseline"), artifact);
        TestFiles.FlipByte(Path.Combine(artifact, "language_model.onnx"));
        string output = TestScratch.Dir("eval-tampered-out");
        var (code, error) = Eval(artifact, TinyStudy.TestData, output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("language_model.onnx").And.Contain("SHA-256"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void AFolderThatIsNot2DSIsRefused()
    {
        string notData = TestScratch.Dir("not-2ds");
        Directory.CreateDirectory(notData);
        File.WriteAllText(Path.Combine(notData, "readme.txt"), "hello");
        string output = TestScratch.Dir("eval-not-2ds-out");
        var (code, error) = Eval(TinyStudy.Artifact("baseline"), notData, output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("not a 2DS split"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void AMissingArtifactIsRefused()
    {
        var (code, error) = Eval(TestScratch.Dir("no-artifact"), TinyStudy.TestData, TestScratch.Dir("eval-missing-out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("does not exist"));
    }

    [Test]
    public void CompareAgreesWithTorchSharpOnEveryQuestion()
    {
        string output = TestScratch.Dir("compare");
        var (code, error) = Run("compare", "--checkpoint", TinyStudy.Checkpoint("norm"), "--artifact", TinyStudy.Artifact("norm"),
            "--data", TinyStudy.TestData, "--out", output, "--ep", "cpu", "--limit", "64");
        Assert.That(code, Is.Zero, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.That(rows, Has.Length.EqualTo(1 + 2 * 2), "TorchSharp + opset 17/23 × optimisation all/off");
        foreach (var row in rows)
            Assert.That(row.GetProperty("agreement").GetDouble(), Is.EqualTo(1.0), row.ToString());
        Assert.That(rows.Skip(1).Select(r => r.GetProperty("opset").GetInt32()).Distinct(), Is.EquivalentTo(new[] { 17, 23 }));
    }
}
