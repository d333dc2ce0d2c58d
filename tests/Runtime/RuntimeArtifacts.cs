using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Tests.Export;
using Pipeline.Train.Model;

namespace Pipeline.Tests.Runtime;

/// <summary>
/// The tiny exported artifacts the runtime and CLI tests read (ExportFixture's, made once per test
/// process and kept until its end), and scratch copies of them to tamper with.
/// </summary>
internal static class RuntimeArtifacts
{
    public static readonly ExportFixture.Key BaselineKey = new(Variant.Baseline);


    /// <summary>The baseline variant at the default opset; shared, never modified.</summary>
    public static string Baseline => Artifact(BaselineKey, ExportOpsets.Default);

    /// <summary>ExportFixture's random-weight checkpoint of <paramref name="key"/>.</summary>
    public static string Checkpoint(ExportFixture.Key key) => ExportFixture.Checkpoint(key);

    public static string Artifact(ExportFixture.Key key, int opset) => ExportFixture.Artifact(key, opset);

    /// <summary>The checkpoint's model, loaded afresh (the caller disposes it).</summary>
    public static VisionLanguageModel LoadModel(ExportFixture.Key key) => ExportFixture.LoadModel(key);

    /// <summary>A fresh scratch path (not created) under the test run's scratch root.</summary>
    public static string Scratch(string name) => TestScratch.Dir(name);

    /// <summary>A private copy of <paramref name="artifact"/> (default: <see cref="Baseline"/>) that a test may change.</summary>
    public static string Copy(string? artifact = null)
    {
        artifact ??= Baseline;
        string copy = Scratch("artifact-copy");
        TestFiles.CopyDirectory(artifact, copy);
        return copy;
    }

    /// <summary>Flips every bit of one byte in the middle of <paramref name="relativePath"/>.</summary>
    public static void FlipByte(string dir, string relativePath) => TestFiles.FlipByte(Path.Combine(dir, relativePath));

    /// <summary>Records a file's current size and hash in the manifest, as if it had been exported that way.</summary>
    public static void Rehash(string dir, string relativePath)
    {
        var manifest = ArtifactFiles.ReadManifest(dir);
        var files = manifest.Files.Select(f => f.Path == relativePath ? ArtifactFiles.Describe(dir, [relativePath])[0] : f).ToArray();
        ArtifactFiles.WriteManifest(dir, manifest with { Files = files });
    }

    /// <summary>The file and reference of the test set's expected output <paramref name="tensor"/> of <paramref name="graph"/>.</summary>
    public static string ExpectedOutputFile(string dir, string graph, string tensor)
    {
        var set = ArtifactFiles.ReadManifest(dir).TestData.Sets.Single(s => s.Outputs.Any(o => o.Graph == graph && o.Tensor == tensor));
        var output = set.Outputs.Single(o => o.Graph == graph && o.Tensor == tensor);
        return $"{set.Folder}/{output.File}";
    }

    /// <summary>Rewrites an expected output with every value shifted by <paramref name="delta"/> and fixes its hash: only the numeric check can notice.</summary>
    public static void ShiftExpectedOutput(string dir, string graph, string tensor, float delta)
    {
        string file = ExpectedOutputFile(dir, graph, tensor);
        string path = Path.Combine(dir, file);
        var (name, value) = TensorProtoFile.Read(path);
        TensorProtoFile.Write(path, name, HostTensor.Float(value.Shape, value.Floats.Select(x => x + delta).ToArray()));
        Rehash(dir, file);
    }
}
