using Pipeline.Runtime;
using Pipeline.Tests.Runtime;

namespace Pipeline.Tests.Build;

/// <summary>
/// The Pipeline.Validation package as a consumer meets it: packed to a local folder feed, then a
/// clean copy of the sample deployment, outside the repository and with a NuGet folder of its own,
/// restores it and builds: the build passes on a good artifact, names every failing output on a
/// numeric mismatch, reports a tampered file in one line, and never brings libtorch.
/// </summary>
public sealed class ValidationPackageTests
{
    string _dir = "", _feed = "", _version = "";

    [OneTimeSetUp]
    public void PackToALocalFeed()
    {
        _dir = MSBuildRunner.Scratch("validation-package");
        _feed = Path.Combine(_dir, "feed");
        // A version of its own: NuGet would serve an older pack of the same version from a cache.
        _version = $"0.1.0-test.{Guid.NewGuid():N}"[..22];
        // `dotnet build` packs it (GeneratePackageOnBuild), as the README says; `dotnet pack` would skip
        // the build and fail where `dotnet test` never built this project (a fresh clone).
        var pack = MSBuildRunner.Run("build", Path.Combine(MSBuildRunner.RepoRoot, "validation", "Pipeline.Validation.csproj"),
            ["-c", MSBuildRunner.Configuration, $"-p:PackageVersion={_version}", $"-p:PackageOutputPath={_feed}/"]);
        Assert.That(pack.Succeeded, pack.ToString());
        Assert.That(File.Exists(Path.Combine(_feed, $"Pipeline.Validation.{_version}.nupkg")), pack.ToString());
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void ACleanConsumerBuildsOnAGoodArtifactWithoutLibtorch()
    {
        var consumer = Consumer("good", RuntimeArtifacts.Copy());
        var build = consumer.Build();
        Assert.That(build.Succeeded, build.ToString());
        Assert.That(build.Output, Does.Contain($"Model artifact {consumer.Artifact} validates:"), build.ToString());
        var libtorch = Directory.EnumerateFiles(consumer.Root, "libtorch*", SearchOption.AllDirectories).ToArray();
        Assert.That(libtorch, Is.Empty, "the gate needs ONNX Runtime only");
        Assert.That(File.ReadAllText(Path.Combine(consumer.Project, "obj", "project.assets.json")), Does.Not.Contain("TorchSharp"));
    }

    [Test]
    public void ANumericMismatchFailsTheBuildNamingTheOutput()
    {
        string artifact = RuntimeArtifacts.Copy();
        ArtifactTampering.ShiftExpectedOutput(artifact, "language_model", "logits", 0.5f);
        var build = Consumer("numeric", artifact).Build();
        Assert.That(build.Succeeded, Is.False, build.ToString());
        Assert.That(build.Output, Does.Contain("error PV004: Model artifact").And.Contain($"output logits of graph language_model on {ArtifactNames.TestSetFolder(ArtifactNames.LanguageGraph)}"), build.ToString());
        Assert.That(build.Output, Does.Not.Contain("output hidden_states of graph"), "only the shifted output fails");
    }

    [Test]
    public void ATamperedFileFailsTheBuildInOneLine()
    {
        string artifact = RuntimeArtifacts.Copy();
        string onnx = Directory.GetFiles(artifact, "*.onnx").Order(StringComparer.Ordinal).First();
        MSBuildRunner.FlipAByte(onnx);
        var build = Consumer("tampered", artifact).Build();
        Assert.That(build.Succeeded, Is.False, build.ToString());
        Assert.That(build.Output, Does.Contain("error PV002: Model artifact").And.Contain(Path.GetFileName(onnx)), build.ToString());
    }

    /// <summary>A copy of tests/Deployment/SampleDeployment with the test feed, shipping <paramref name="artifact"/>.</summary>
    ConsumerProject Consumer(string name, string artifact)
    {
        string root = Path.Combine(_dir, name);
        string project = Path.Combine(root, "app");
        TestFiles.CopyDirectory(Path.GetDirectoryName(MSBuildRunner.SampleDeployment)!, project);
        foreach (var generated in new[] { "bin", "obj" })
            if (Directory.Exists(Path.Combine(project, generated))) Directory.Delete(Path.Combine(project, generated), recursive: true);
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="test-feed" value="{_feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{GlobalPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        return new ConsumerProject(root, project, artifact, _version);
    }

    /// <summary>The machine's NuGet folder, read-only here: ONNX Runtime comes from it without a download.</summary>
    static string GlobalPackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    sealed record ConsumerProject(string Root, string Project, string Artifact, string Version)
    {
        public BuildResult Build() => MSBuildRunner.Run("build", Path.Combine(Project, "SampleDeployment.csproj"),
            [$"-p:SampleArtifact={Artifact}", $"-p:PipelineValidationVersion={Version}", "-p:PipelineValidationEp=cpu"],
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "packages") });
    }
}
