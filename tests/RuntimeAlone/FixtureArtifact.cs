using Pipeline.Runtime;

namespace Pipeline.Tests.Runtime;

/// <summary>
/// The committed tiny artifact (tests/Fixtures/tiny-artifact: norm-multilayer, opset 17, trained in
/// PyTorch) and scratch copies of it to tamper with, under one temporary root deleted at the end.
/// </summary>
internal static class FixtureArtifact
{
    static readonly string Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pipeline-runtime-tests-{Guid.NewGuid():N}");

    /// <summary>The committed artifact; never modified.</summary>
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "Fixtures", "tiny-artifact");
            if (File.Exists(System.IO.Path.Combine(candidate, ArtifactManifest.FileName))) return candidate;
        }
        throw new InvalidOperationException($"no tests/Fixtures/tiny-artifact above {TestContext.CurrentContext.TestDirectory}");
    }

    /// <summary>A fresh scratch path (not created).</summary>
    public static string Scratch(string name) => System.IO.Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");

    /// <summary>A private copy of the artifact that a test may change.</summary>
    public static string Copy()
    {
        string copy = Scratch("artifact-copy");
        TestFiles.CopyDirectory(Path, copy);
        return copy;
    }

    public static void DeleteScratch()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    /// <summary>Flips every bit of one byte in the middle of <paramref name="relativePath"/>.</summary>
    public static void FlipByte(string dir, string relativePath) => TestFiles.FlipByte(System.IO.Path.Combine(dir, relativePath));

    /// <summary>Records a file's current size and hash in the manifest, as if it had been exported that way.</summary>
    public static void Rehash(string dir, string relativePath)
    {
        var manifest = ArtifactFiles.ReadManifest(dir);
        var files = manifest.Files.Select(f => f.Path == relativePath ? ArtifactFiles.Describe(dir, [relativePath])[0] : f).ToArray();
        ArtifactFiles.WriteManifest(dir, manifest with { Files = files });
    }

    /// <summary>The file holding the expected output <paramref name="tensor"/> of <paramref name="graph"/>.</summary>
    public static string ExpectedOutputFile(string dir, string graph, string tensor)
    {
        var set = ArtifactFiles.ReadManifest(dir).TestData.Sets.Single(s => s.Outputs.Any(o => o.Graph == graph && o.Tensor == tensor));
        return $"{set.Folder}/{set.Outputs.Single(o => o.Graph == graph && o.Tensor == tensor).File}";
    }

    /// <summary>Rewrites an expected output with every value shifted by <paramref name="delta"/> and fixes its hash: only the numeric check can notice.</summary>
    public static void ShiftExpectedOutput(string dir, string graph, string tensor, float delta)
    {
        string file = ExpectedOutputFile(dir, graph, tensor);
        string path = System.IO.Path.Combine(dir, file);
        var (name, value) = TensorProtoFile.Read(path);
        TensorProtoFile.Write(path, name, HostTensor.Float(value.Shape, value.Floats.Select(x => x + delta).ToArray()));
        Rehash(dir, file);
    }
}

/// <summary>Outside any namespace, so it runs once around every test of the assembly.</summary>
[SetUpFixture]
public sealed class FixtureScratchCleanup
{
    [OneTimeTearDown]
    public void DeleteScratch() => Pipeline.Tests.Runtime.FixtureArtifact.DeleteScratch();
}
