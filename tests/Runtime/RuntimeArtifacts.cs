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

    /// <summary>Deterministic pixels in [−1, 1] for the 16×16 test artifacts.</summary>
    internal static HostTensor Pixels16(int seed, int batch = 2)
    {
        var random = new Random(seed);
        int size = Pipeline.Tests.Export.ExportFixture.ImageSize;
        return HostTensor.Float([batch, 3, size, size], Enumerable.Range(0, batch * 3 * size * size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
    }
}
