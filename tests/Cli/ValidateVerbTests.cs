using System.Text.Json;
using Pipeline.Runtime;
using Pipeline.Tests.Export;
using Pipeline.Tests.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Tests.Cli;

/// <summary>`pipeline validate`: 0 when every output passes, 1 when a numeric check fails, 2 with one line for anything structural.</summary>
[TestFixture]
public class ValidateVerbTests
{
    static void AssertOneLineError(int code, string error, string message)
    {
        TestContext.Out.WriteLine(error);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void AGoodArtifactPassesOnTheCpu()
    {
        var (code, output, error) = CliOutput.Run("validate", RuntimeArtifacts.Baseline, "--ep", "cpu");
        TestContext.Out.WriteLine(output);
        Assert.That((code, error), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain($"variant baseline, format {ArtifactManifest.CurrentFormatVersion}").And.Contain("execution provider: CPUExecutionProvider"));
        Assert.That(output, Does.Match(@"language_model\s+│\s+logits\s+│"));
        Assert.That(output, Does.Contain("PASS: all"));
    }

    [Test]
    public void AutoSaysWhyItFellBack()
    {
        var (code, output, _) = CliOutput.Run("validate", RuntimeArtifacts.Baseline);
        Assert.That(code, Is.EqualTo(0));
        if (output.Contains(ExecutionProviders.CudaName)) Assert.Ignore("CUDA loads on this machine");
        Assert.That(output, Does.Contain("execution provider: CPUExecutionProvider (auto fell back to the CPU: "));
    }

    [Test]
    public void AWrongTestVectorExits1AndTheJsonSaysWhich()
    {
        string copy = RuntimeArtifacts.Copy();
        ArtifactTampering.ShiftExpectedOutput(copy, VisionGraph, ImageEmbeddings, -0.5f);
        string json = Path.Combine(RuntimeArtifacts.Scratch("validate-json"), "report.json");
        var (code, output, error) = CliOutput.Run("validate", copy, "--ep", "cpu", "--json", json);
        TestContext.Out.WriteLine(output);
        Assert.That((code, error), Is.EqualTo((1, "")));
        Assert.That(output, Does.Contain("FAIL: 1 of"));
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(report.RootElement.GetProperty("passed").GetBoolean(), Is.False);
        var failed = report.RootElement.GetProperty("outputs").EnumerateArray().Where(o => !o.GetProperty("passed").GetBoolean()).ToArray();
        Assert.That(failed.Select(o => o.GetProperty("output").GetString()), Is.EqualTo(new[] { ImageEmbeddings }));
    }

    [Test]
    public void ToleranceOptionsOverrideTheManifests()
    {
        string copy = RuntimeArtifacts.Copy();
        ArtifactTampering.ShiftExpectedOutput(copy, VisionGraph, ImageEmbeddings, 0.001f);
        Assert.That(CliOutput.Run("validate", copy, "--ep", "cpu").Code, Is.EqualTo(1));
        var (code, output, _) = CliOutput.Run("validate", copy, "--ep", "cpu", "--atol", "0.01", "--rtol", "0");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("atol 0.01"));
    }

    [Test]
    public void AChangedFileIsExitCode2WithOneLine()
    {
        string copy = RuntimeArtifacts.Copy();
        ArtifactTampering.FlipByte(copy, VisionFile);
        var (code, _, error) = CliOutput.Run("validate", copy, "--ep", "cpu");
        AssertOneLineError(code, error, $"{VisionFile} does not match its SHA-256 in the manifest");
    }

    [Test]
    public void AMissingFileOrNewerFormatIsExitCode2WithOneLine()
    {
        string missing = RuntimeArtifacts.Copy();
        File.Delete(Path.Combine(missing, ArtifactNames.VocabFile));
        var (code, _, error) = CliOutput.Run("validate", missing);
        AssertOneLineError(code, error, $"{ArtifactNames.VocabFile} is missing");

        string newer = RuntimeArtifacts.Copy();
        ArtifactFiles.WriteManifest(newer, ArtifactFiles.ReadManifest(newer) with { FormatVersion = 99 });
        (code, _, error) = CliOutput.Run("validate", newer);
        AssertOneLineError(code, error, "format version 99, newer than this pipeline reads");
    }

    [Test]
    public void CudaThatCannotLoadIsExitCode2WithTheFix()
    {
        var (code, output, error) = CliOutput.Run("validate", RuntimeArtifacts.Baseline, "--ep", "cuda");
        if (code == 0 && output.Contains(ExecutionProviders.CudaName)) Assert.Ignore("CUDA loads on this machine");
        AssertOneLineError(code, error, "the CUDA execution provider cannot load here");
        Assert.That(error, Does.Contain("--ep cpu"));
    }

    [TestCase("--ep", "tpu", "unknown execution provider 'tpu'")]
    [TestCase("--threads", "0", "--threads must be positive")]
    [TestCase("--atol", "-1", "--atol must be a non-negative number")]
    public void BadOptionsAreExitCode2WithOneLine(string option, string value, string message)
    {
        var (code, _, error) = CliOutput.Run("validate", RuntimeArtifacts.Baseline, option, value);
        AssertOneLineError(code, error, message);
    }

    [Test]
    public void NoArtifactIsAUsageError() =>
        Assert.That(CliOutput.Run("validate").Code, Is.EqualTo(2));
}

/// <summary>What `validate` refuses before reading any weights: a manifest that lacks what readers use, paths out of the folder, unlisted or linked files.</summary>
[TestFixture]
public class ValidateStructureTests
{
    static void Refused(string copy, string message)
    {
        var (code, _, error) = CliOutput.Run("validate", copy, "--ep", "cpu");
        TestContext.Out.WriteLine(error);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    static void EditManifest(string dir, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        string path = ArtifactFiles.ManifestPath(dir);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
    }

    [TestCase("prompt")]
    [TestCase("preprocessing")]
    [TestCase("model_config")]
    [TestCase("files")]
    [TestCase("graphs")]
    public void AManifestWithoutAMemberReadersUseIsRefused(string member)
    {
        string copy = RuntimeArtifacts.Copy();
        EditManifest(copy, m => m.Remove(member));
        Refused(copy, $"lacks {member}");
    }

    [Test]
    public void AFileDroppedFromTheListIsRefusedNotSkipped()
    {
        string copy = RuntimeArtifacts.Copy();
        EditManifest(copy, m => m["files"]!.AsArray().Remove(m["files"]!.AsArray().First(f => f!["path"]!.GetValue<string>() == ArtifactNames.VocabFile)));
        Refused(copy, $"does not list {ArtifactNames.VocabFile}");
    }

    [TestCase("../../../../etc/passwd")]
    [TestCase("/etc/passwd")]
    [TestCase("test_data/vision/../../../x")]
    public void AListedPathOutsideTheFolderIsRefusedBeforeAnyRead(string path)
    {
        string copy = RuntimeArtifacts.Copy();
        EditManifest(copy, m => m["files"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["path"] = path, ["bytes"] = 1, ["sha256"] = new string('0', 64) }));
        Refused(copy, "a path outside the artifact folder");
    }

    [Test]
    public void AnUnlistedExtraGraphIsRefused()
    {
        string copy = RuntimeArtifacts.Copy();
        File.Copy(Path.Combine(copy, VisionFile), Path.Combine(copy, "extra.onnx"));
        Refused(copy, "extra.onnx");
    }

    [Test]
    public void ASymlinkedTestSetIsRefused()
    {
        string copy = RuntimeArtifacts.Copy();
        string set = Path.Combine(copy, TestSetFolder(LanguageGraph)), elsewhere = RuntimeArtifacts.Scratch("linked-set");
        Directory.Move(set, elsewhere);
        Directory.CreateSymbolicLink(set, elsewhere);
        Refused(copy, "is a link");
    }
}
