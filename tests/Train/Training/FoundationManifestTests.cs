using System.Text.Json;
using Pipeline.Data;
using Pipeline.Train.Foundations;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

/// <summary>Foundation folders without training: manifest round trip, hash and path checks, wall time over sittings.</summary>
public sealed class FoundationManifestTests
{
    static readonly FoundationProvenance By = new("pipeline pretrain", "abc", 1, "recipe", 10, 1.5, "2 cores", "cpu", "2026-12-06T00:00:00Z");

    static (Foundation Model, string Dir) Written(string content = "weights")
    {
        string root = TestScratch.Dir("manifest");
        Directory.CreateDirectory(root);
        string source = Path.Combine(root, "source.dat");
        File.WriteAllText(source, content);
        string dir = Path.Combine(root, "model");
        var model = Foundation.Write(dir, FoundationManifest.LanguageModel, "small", "{}", "vocab", [(source, "language_model.dat")], By,
            new Dictionary<string, double> { ["text_accuracy"] = 0.5 }, finished: false, force: false);
        return (model, dir);
    }

    [Test]
    public void AWrittenManifestLoadsBackWithEveryField()
    {
        var (model, dir) = Written();
        var loaded = Foundation.Load(dir, FoundationManifest.LanguageModel);
        Assert.That(loaded.Manifest.ProducedBy, Is.EqualTo(By));
        Assert.That(loaded.Manifest.Files.Single().Sha256, Is.EqualTo(Sha256.OfFile(Path.Combine(dir, "language_model.dat"))));
        Assert.That(loaded.Manifest.Finished, Is.False);
        Assert.That(loaded.Score("text_accuracy"), Is.EqualTo(0.5));
        Assert.That(loaded.Id, Is.EqualTo(Sha256.OfFile(Path.Combine(dir, FoundationManifest.FileName))));
        Assert.That(model.Id, Is.EqualTo(loaded.Id));
    }

    [Test]
    public void AnotherFileOfTheSameSizeIsRefused()
    {
        var (_, dir) = Written();
        File.WriteAllText(Path.Combine(dir, "language_model.dat"), "weighTs");
        Assert.That(() => Foundation.Load(dir, FoundationManifest.LanguageModel),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("does not match its SHA-256"));
    }

    [Test]
    public void ATruncatedFileIsRefusedBySize()
    {
        var (_, dir) = Written();
        File.WriteAllText(Path.Combine(dir, "language_model.dat"), "weigh");
        Assert.That(() => Foundation.Load(dir, FoundationManifest.LanguageModel),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("has 5 bytes, its manifest says 7"));
    }

    [Test]
    public void TheWrongKindIsRefused()
    {
        var (_, dir) = Written();
        Assert.That(() => Foundation.Load(dir, FoundationManifest.VisionEncoder),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("holds a language-model, not a vision-encoder"));
    }

    [TestCase("../outside.dat")]
    [TestCase("/etc/passwd")]
    [TestCase("sub/file.dat")]
    public void AListedPathOutsideTheFolderIsRefused(string path)
    {
        var (model, dir) = Written();
        var manifest = model.Manifest with { Files = [new FoundationFile(path, 7, new string('0', 64))] };
        File.WriteAllText(Path.Combine(dir, FoundationManifest.FileName), JsonSerializer.Serialize(manifest, Json.Indented));
        Assert.That(() => Foundation.Load(dir, FoundationManifest.LanguageModel),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a plain file name"));
    }

    [Test]
    public void AManifestThatIsNotJsonOrLacksMembersIsRefused()
    {
        var (_, dir) = Written();
        string path = Path.Combine(dir, FoundationManifest.FileName);
        File.WriteAllText(path, "{ not json");
        Assert.That(() => Foundation.Load(dir, FoundationManifest.LanguageModel), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a valid foundation manifest"));
        File.WriteAllText(path, "{\"format\": 1}");
        Assert.That(() => Foundation.Load(dir, FoundationManifest.LanguageModel), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("lacks required members"));
    }

    [Test]
    public void AMissingFolderSaysSo() =>
        Assert.That(() => Foundation.Load(TestScratch.Dir("nothing"), FoundationManifest.VisionEncoder),
            Throws.InstanceOf<FileNotFoundException>().With.Message.Contains("not a foundation model folder"));

    [Test]
    public void WallTimeAddsUpEverySitting()
    {
        StepMetrics At(int step, double elapsed) => new(step, 1, 1e-3, 10, elapsed);
        // Two sittings: the clock restarts at the resume.
        Assert.That(FoundationBuilder.WallSeconds([At(1, 10), At(2, 20), At(3, 5), At(4, 15)]), Is.EqualTo(35));
        Assert.That(FoundationBuilder.WallSeconds([]), Is.Zero);
    }
}
