using System.Text.Json;
using Pipeline.Runtime;

namespace Pipeline.Tests.Runtime;

/// <summary>manifest.json on its own: dimensions, round trip, refusing what this version cannot read.</summary>
[TestFixture]
public class ManifestTests
{
    static string Scratch()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pipeline-manifest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    static ArtifactManifest Sample(int formatVersion = ArtifactManifest.CurrentFormatVersion) => new(
        formatVersion, "m", "norm", new ProducerInfo("p", "1", "r"), 17, 8,
        [new GraphSignature("vision", "vision.onnx", "d", [new TensorSignature("pixels", "float32", ["batch", 3, 16, 16], false, "x")], [])],
        [new ArtifactFile("vision.onnx", 3, new string('0', 64)), new ArtifactFile("vocab.json", 3, new string('0', 64))],
        JsonDocument.Parse("{\"variant\": \"norm\", \"vision\": {}, \"language\": {}}").RootElement.Clone(),
        new AdapterConstants(true, 0.8, 1.2, 1e-6, false, [1], false, null, 16),
        new Preprocessing(16, 3, "NCHW", "RGB", 0.5, 0.5, "f"),
        new PromptFormat("t", "<image>", 4, 1, 2, 0, "right", 256, "words", "vocab.json"),
        new TrainingRecord("c", new string('1', 64), null, null, null),
        new TestDataRecord(1e-4, 1e-3, []));

    [Test]
    public void DimensionsAreNumbersOrSymbols()
    {
        Dim[] dims = ["batch", 3];
        string json = JsonSerializer.Serialize(dims);
        Assert.That(json, Is.EqualTo("[\"batch\",3]"));
        Assert.That(JsonSerializer.Deserialize<Dim[]>(json), Is.EqualTo(dims));
        Assert.That(Dim.Named("batch").Accepts(7), Is.True);
        Assert.That(Dim.Fixed(3).Accepts(4), Is.False);
    }

    [Test]
    public void RoundTripsAndIgnoresComputedMembers()
    {
        string dir = Scratch();
        ArtifactFiles.WriteManifest(dir, Sample());
        string text = File.ReadAllText(ArtifactFiles.ManifestPath(dir));
        Assert.That(text, Does.Contain($"\"format_version\": {ArtifactManifest.CurrentFormatVersion}").And.Contain("\"shape\": [").And.Not.Contain("primary_outputs"));
        var back = ArtifactFiles.ReadManifest(dir);
        Assert.That(back.Graphs[0].Inputs[0].Shape, Is.EqualTo(new Dim[] { "batch", 3, 16, 16 }));
        Assert.That(back.Adapters, Is.EqualTo(Sample().Adapters with { EncoderLayers = back.Adapters.EncoderLayers }));
        Assert.That(back.ModelConfig.GetProperty("variant").GetString(), Is.EqualTo("norm"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void ANewerFormatIsRefusedWithAFix()
    {
        string dir = Scratch();
        ArtifactFiles.WriteManifest(dir, Sample(formatVersion: ArtifactManifest.CurrentFormatVersion + 1));
        Assert.That(() => ArtifactFiles.ReadManifest(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("newer").And.Message.Contains("upgrade"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void MissingOrGarbledManifestsGetOneLine()
    {
        string dir = Scratch();
        Assert.That(() => ArtifactFiles.ReadManifest(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a model artifact"));
        File.WriteAllText(ArtifactFiles.ManifestPath(dir), "{ not json");
        Assert.That(() => ArtifactFiles.ReadManifest(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("cannot read").Or.Message.Contains("can read"));
        Assert.That(() => ArtifactFiles.ReadManifest(Path.Combine(dir, "nope")), Throws.InstanceOf<DirectoryNotFoundException>());
        Directory.Delete(dir, true);
    }
}
