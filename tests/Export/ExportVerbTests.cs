using static Pipeline.Tests.Cli.CliRunner;
using Pipeline.Runtime;
using Pipeline.Train.Model;

namespace Pipeline.Tests.Export;

/// <summary>`pipeline export` as a user meets it: exit codes, one-line errors, the artifact on disk.</summary>
[TestFixture]
public class ExportVerbTests
{
    [Test]
    public void ExportsAVariant()
    {
        string checkpoint = ExportFixture.Checkpoint(new ExportFixture.Key(Variant.Baseline));
        string outDir = ExportFixture.Scratch("cli");
        var (code, error) = Run("export", "--checkpoint", checkpoint, "--out", outDir, "--opset", "23");
        Assert.That(code, Is.Zero, error);
        var manifest = ArtifactFiles.ReadManifest(outDir);
        Assert.That((manifest.Variant, manifest.Opset), Is.EqualTo(("baseline", 23)));
    }

    [TestCase("--opset", "19", "--opset 19 is not supported")]
    [TestCase("--checkpoint", "/no/such/checkpoint", "does not exist")]
    public void BadInputGetsOneLineAndExitCode2(string option, string value, string message)
    {
        string outDir = ExportFixture.Scratch("cli-bad");
        var args = new List<string> { "export", "--checkpoint", ExportFixture.Checkpoint(new ExportFixture.Key(Variant.Baseline)), "--out", outDir };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (code, error) = Run([.. args]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(Directory.Exists(outDir), Is.False, "nothing written");
    }
}
