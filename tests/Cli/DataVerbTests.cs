using static Pipeline.Tests.Cli.CliRunner;
using Pipeline.Data;

namespace Pipeline.Tests.Cli;

/// <summary>The CLI as a user meets it: exit codes, one-line errors, files on disk.</summary>
[TestFixture]
public class DataVerbTests
{
    [Test]
    public void WritesASplit()
    {
        string dir = TestScratch.Dir("cli-ok");
        var (code, error) = Run("data", "--split", "train", "--images", "12", "--out", dir);
        Assert.That(code, Is.Zero, error);
        var data = Dataset.Load(dir);
        Assert.That(data.Scenes, Has.Count.EqualTo(12));
        Assert.That(File.Exists(Path.Combine(dir, DatasetWriter.CaptionsFile)), Is.True);
    }

    [TestCase("--split", "dev", "unknown split")]
    [TestCase("--images", "0", "--images must be positive")]
    [TestCase("--image-size", "16", "too small")]
    public void BadOptionsGetOneLineAndExitCode2(string option, string value, string message)
    {
        string dir = TestScratch.Dir("cli-bad");
        var (code, error) = Run("data", option, value, "--out", dir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(Directory.Exists(dir), Is.False, "nothing written");
    }

    [Test]
    public void AnExistingFolderNeedsForce()
    {
        string dir = TestScratch.Dir("cli-busy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "x"), "x");
        var (code, error) = Run("data", "--images", "10", "--out", dir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--force"));
        Assert.That(Run("data", "--images", "10", "--out", dir, "--force").Code, Is.Zero);
    }

    [Test]
    public void RunResumesAndSkipsFinishedStages()
    {
        string dir = TestScratch.Dir("cli-run");
        Assert.That(Run("run", "--preset", "tiny", "--out", dir).Code, Is.Zero);
        string manifest = Path.Combine(dir, "data", "train", DatasetManifest.FileName);
        var written = File.GetLastWriteTimeUtc(manifest);
        Assert.That(Run("run", "--preset", "tiny", "--out", dir).Code, Is.Zero);
        Assert.That(File.GetLastWriteTimeUtc(manifest), Is.EqualTo(written), "a finished stage is not redone");
        Assert.That(Run("run", "--preset", "huge", "--out", dir).Code, Is.EqualTo(2));
    }
}
