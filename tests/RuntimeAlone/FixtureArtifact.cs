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
}

/// <summary>Outside any namespace, so it runs once around every test of the assembly.</summary>
[SetUpFixture]
public sealed class FixtureScratchCleanup
{
    [OneTimeTearDown]
    public void DeleteScratch() => Pipeline.Tests.Runtime.FixtureArtifact.DeleteScratch();
}
