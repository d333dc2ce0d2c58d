using Pipeline.Runtime;

/// <summary>
/// Changes to an artifact copy that a test makes on purpose, shared by the main test project and
/// the runtime-only one: a flipped byte, a file re-signed in the manifest, a shifted expected output.
/// </summary>
public static class ArtifactTampering
{
    /// <summary>Flips every bit of one byte in the middle of <paramref name="relativePath"/>.</summary>
    public static void FlipByte(string dir, string relativePath) => TestFiles.FlipByte(Path.Combine(dir, relativePath));

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
        string path = Path.Combine(dir, file);
        var (name, value) = TensorProtoFile.Read(path);
        TensorProtoFile.Write(path, name, HostTensor.Float(value.Shape, value.Floats.Select(x => x + delta).ToArray()));
        Rehash(dir, file);
    }
}
