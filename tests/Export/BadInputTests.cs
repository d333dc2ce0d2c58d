using Pipeline.Export;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Export;

/// <summary>Bad checkpoints, opsets and output folders: a clear error of a type the CLI maps to one line, and nothing written.</summary>
[TestFixture]
public class BadInputTests
{
    static readonly ExportFixture.Key Norm = new(Variant.Norm);

    static void AssertNothingWritten(string outDir)
    {
        Assert.That(Directory.Exists(outDir), Is.False, "no artifact folder");
        string parent = Path.GetDirectoryName(outDir)!;
        if (Directory.Exists(parent))
            Assert.That(Directory.EnumerateFileSystemEntries(parent).Where(e => Path.GetFileName(e).StartsWith($".{Path.GetFileName(outDir)}", StringComparison.Ordinal)), Is.Empty, "no temporary folder left");
    }

    [Test]
    public void AMissingCheckpointFolder()
    {
        string outDir = ExportFixture.Scratch("out");
        var options = new ExportOptions(Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}"), outDir);
        Assert.That(() => ArtifactExporter.Export(options), Throws.InstanceOf<DirectoryNotFoundException>().With.Message.Contains("does not exist"));
        AssertNothingWritten(outDir);
    }

    [Test]
    public void AFolderThatIsNotACheckpoint()
    {
        string dir = ExportFixture.Scratch("empty");
        Directory.CreateDirectory(dir);
        string outDir = ExportFixture.Scratch("out");
        Assert.That(() => ArtifactExporter.Export(new ExportOptions(dir, outDir)), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a model checkpoint"));
        AssertNothingWritten(outDir);
    }

    [Test]
    public void WeightsThatDoNotMatchTheConfig()
    {
        // A baseline's model.dat beside a norm-multilayer config.json: the projector's shapes differ.
        string dir = ExportFixture.WriteRun(Norm, ExportFixture.Scratch("run"));
        CheckpointFiles.Write(dir, ExportFixture.Config(new ExportFixture.Key(Variant.NormMultilayer)), ExportFixture.Vocab);
        string outDir = ExportFixture.Scratch("out");
        Assert.That(() => ArtifactExporter.Export(new ExportOptions(dir, outDir)),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(StageRunner.ModelFile).And.Message.Contains("config.json"));
        AssertNothingWritten(outDir);
    }

    [Test]
    public void AVocabularyOfTheWrongSize()
    {
        string dir = ExportFixture.WriteRun(Norm, ExportFixture.Scratch("run"));
        var small = ExportFixture.Vocab with { Tokens = ExportFixture.Vocab.Tokens.Take(20).ToArray() };
        File.WriteAllText(Path.Combine(dir, CheckpointFiles.VocabFile), Pipeline.Data.Vocabulary.ToJson(small.Tokens));
        string outDir = ExportFixture.Scratch("out");
        Assert.That(() => ArtifactExporter.Export(new ExportOptions(dir, outDir)), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("20 tokens"));
        AssertNothingWritten(outDir);
    }

    [TestCase(16)]
    [TestCase(18)]
    [TestCase(24)]
    public void AnUnsupportedOpset(int opset)
    {
        string outDir = ExportFixture.Scratch("out");
        Assert.That(() => ArtifactExporter.Export(new ExportOptions(ExportFixture.Checkpoint(Norm), outDir, opset)),
            Throws.InstanceOf<NotSupportedException>().With.Message.Contains($"--opset {opset}").And.Message.Contains("17").And.Message.Contains("23"));
        AssertNothingWritten(outDir);
    }

    [Test]
    public void AnExistingOutputFolderNeedsForce()
    {
        string outDir = ExportFixture.Scratch("busy");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "mine");
        var options = new ExportOptions(ExportFixture.Checkpoint(Norm), outDir);
        Assert.That(() => ArtifactExporter.Export(options), Throws.InstanceOf<IOException>().With.Message.Contains("--force"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "keep.txt")), Is.EqualTo("mine"), "left untouched");

        var result = ArtifactExporter.Export(options with { Force = true });
        Assert.That(File.Exists(Path.Combine(outDir, "keep.txt")), Is.False, "replaced as a whole");
        Assert.That(result.Manifest.Files, Is.Not.Empty);
    }
}
