using Pipeline.Runtime;
using Pipeline.Tests.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Runtime.Tests;

/// <summary>
/// Choosing the execution provider. This machine has no GPU (and no CUDA 13 libraries), so cuda
/// must fail with one line and auto must fall back to the CPU; on a machine where CUDA does load
/// the same tests check that it is used instead.
/// </summary>
[TestFixture]
public class ExecutionProviderTests
{
    static string VisionFile => Path.Combine(FixtureArtifact.Path, ArtifactNames.VisionFile);

    static SessionSettings On(ExecutionProviderKind kind) => new(Provider: kind);

    [TestCase("auto", ExecutionProviderKind.Auto)]
    [TestCase("CPU", ExecutionProviderKind.Cpu)]
    [TestCase(" cuda ", ExecutionProviderKind.Cuda)]
    public void ParsesTheCliNames(string text, ExecutionProviderKind kind)
    {
        Assert.That(ExecutionProviders.Parse(text), Is.EqualTo(kind));
        Assert.That(ExecutionProviders.Parse(kind.ToCliName()), Is.EqualTo(kind));
    }

    [Test]
    public void AnUnknownProviderIsAnArgumentErrorWithTheChoices() =>
        Assert.That(() => ExecutionProviders.Parse("tpu"), Throws.ArgumentException.With.Message.EqualTo("unknown execution provider 'tpu': use auto, cpu or cuda"));

    [Test]
    public void CpuIsTheDefaultAndNeedsNoFallback()
    {
        using var session = OrtGraphSession.Open(VisionFile);
        Assert.That(session.ExecutionProvider, Is.EqualTo(ExecutionProviders.CpuName));
        Assert.That(session.FallbackReason, Is.Null);
    }

    [Test]
    public void CudaThatCannotLoadIsOneLineNamingTheFix()
    {
        OrtGraphSession? session = null;
        var error = Assert.Catch(() => session = OrtGraphSession.Open(VisionFile, On(ExecutionProviderKind.Cuda)));
        if (error is null)
        {
            using (session) Assert.That(session!.ExecutionProvider, Is.EqualTo(ExecutionProviders.CudaName), "CUDA loads on this machine");
            Assert.Ignore("CUDA loads on this machine: nothing to refuse");
        }
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error, Is.InstanceOf<NotSupportedException>());
        Assert.That(error.Message, Does.Not.Contain('\n'));
        Assert.That(error.Message, Does.StartWith("the CUDA execution provider cannot load here (")
            .And.EndWith("); install CUDA 13 and cuDNN 9 or use --ep cpu / --ep auto"));
        if (CudaLibraries.Missing().Count > 0) Assert.That(error.Message, Does.Contain("not found"), "names the missing CUDA libraries");
    }

    [Test]
    public void AutoFallsBackToTheCpuWithAReasonAndTheSameOutputs()
    {
        using var auto = OrtGraphSession.Open(VisionFile, On(ExecutionProviderKind.Auto));
        if (auto.ExecutionProvider == ExecutionProviders.CudaName) Assert.Ignore("CUDA loads on this machine: auto uses it");
        using var cpu = OrtGraphSession.Open(VisionFile, On(ExecutionProviderKind.Cpu));
        Assert.That(auto.ExecutionProvider, Is.EqualTo(ExecutionProviders.CpuName));
        Assert.That(auto.FallbackReason, Is.Not.Null.And.Not.Empty.And.Not.Contain('\n'));
        TestContext.Out.WriteLine($"fell back: {auto.FallbackReason}");

        var input = new Dictionary<string, HostTensor> { [Pixels] = FixturePixels(seed: 3) };
        var a = auto.Run(input);
        var c = cpu.Run(input);
        Assert.That(a.Keys, Is.EqualTo(c.Keys));
        foreach (var name in c.Keys) Assert.That(a[name].Floats, Is.EqualTo(c[name].Floats), name);
    }

    [Test]
    public void AWholeArtifactFallsBackOnceAndReportsIt()
    {
        using var artifact = ModelArtifact.Open(FixtureArtifact.Path, On(ExecutionProviderKind.Auto));
        if (artifact.ExecutionProvider == ExecutionProviders.CudaName) Assert.Ignore("CUDA loads on this machine");
        Assert.That(artifact.FallbackReason, Is.Not.Null);
        Assert.That(artifact.Vision.ExecutionProvider, Is.EqualTo(ExecutionProviders.CpuName));
        Assert.That(artifact.Language.ExecutionProvider, Is.EqualTo(ExecutionProviders.CpuName));
    }

    [TestCase("[ErrorCode:RuntimeException] /src/provider_bridge_ort.cc:1862 onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file\nstack",
        "Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file")]
    [TestCase("[ErrorCode:RuntimeException] x.cc:12 f() [ONNXRuntimeError] : 1 : FAIL : CUDA failure 100: no CUDA-capable device is detected",
        "CUDA failure 100: no CUDA-capable device is detected")]
    [TestCase("plain", "plain")]
    public void TheReasonIsOrtsOwnWordsWithoutItsPreamble(string message, string reason) =>
        Assert.That(OrtGraphSession.ProviderReason(message), Is.EqualTo(reason));

    /// <summary>Deterministic pixels in [−1, 1] at the fixture's image size.</summary>
    static HostTensor FixturePixels(int seed, int batch = 2)
    {
        var random = new Random(seed);
        int size = ArtifactFiles.ReadManifest(FixtureArtifact.Path).Preprocessing.ImageSize;
        return HostTensor.Float([batch, 3, size, size], Enumerable.Range(0, batch * 3 * size * size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
    }
}
