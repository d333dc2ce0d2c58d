using System.Collections.Concurrent;
using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Tests.Export;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Runtime;

/// <summary>
/// The tiny exported artifacts the runtime and CLI tests read, each made once per test process,
/// and scratch copies of them to tamper with. Kept apart from ExportFixture's, which are deleted
/// once the Export tests are done, while these tests may run later.
/// </summary>
internal static class RuntimeArtifacts
{
    public static readonly ExportFixture.Key BaselineKey = new(Variant.Baseline);

    public static readonly string Root = Path.Combine(Path.GetTempPath(), $"pipeline-runtime-tests-{Guid.NewGuid():N}");
    static readonly ConcurrentDictionary<ExportFixture.Key, string> Checkpoints = new();
    static readonly ConcurrentDictionary<(ExportFixture.Key, int), string> Artifacts = new();

    /// <summary>The baseline variant at the default opset; shared, never modified.</summary>
    public static string Baseline => Artifact(BaselineKey, ExportOpsets.Default);

    /// <summary>ExportFixture's random-weight checkpoint of <paramref name="key"/>, written under this fixture's root.</summary>
    public static string Checkpoint(ExportFixture.Key key) =>
        Checkpoints.GetOrAdd(key, k => ExportFixture.WriteRun(k, Path.Combine(Root, "runs", k.ToString())));

    public static string Artifact(ExportFixture.Key key, int opset) =>
        Artifacts.GetOrAdd((key, opset), k => ArtifactExporter.Export(new ExportOptions(Checkpoint(key), Path.Combine(Root, "artifacts", $"{key}-opset{opset}"), opset)).Directory);

    /// <summary>The checkpoint's model, loaded afresh (the caller disposes it).</summary>
    public static VisionLanguageModel LoadModel(ExportFixture.Key key)
    {
        var model = new VisionLanguageModel(ExportFixture.Config(key));
        model.load(Path.Combine(Checkpoint(key), StageRunner.ModelFile));
        model.eval();
        return model;
    }

    /// <summary>A fresh scratch path (not created) under this fixture's root.</summary>
    public static string Scratch(string name) => Path.Combine(Root, "scratch", $"{name}-{Guid.NewGuid():N}");

    /// <summary>A private copy of <paramref name="artifact"/> (default: <see cref="Baseline"/>) that a test may change.</summary>
    public static string Copy(string? artifact = null)
    {
        artifact ??= Baseline;
        string copy = Scratch("artifact-copy");
        foreach (var file in Directory.EnumerateFiles(artifact, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(artifact, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    /// <summary>Flips every bit of one byte in the middle of <paramref name="relativePath"/>.</summary>
    public static void FlipByte(string dir, string relativePath)
    {
        string path = Path.Combine(dir, relativePath);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

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
        var set = ArtifactFiles.ReadManifest(dir).TestData.Sets[0];
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
