using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Pipeline.Tests.Infrastructure;

/// <summary>Both native runtimes load and compute inside the test process.</summary>
[TestFixture]
public class NativeLoadTests
{
    [Test]
    public void TorchSharpLoadsAndMultiplies()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = a.matmul(a);
        Assert.That(b.data<float>().ToArray(), Is.EqualTo(new float[] { 7, 10, 15, 22 }));
    }

    [Test]
    public void OnnxRuntimeCpuLoadsAndListsCpuProvider()
    {
        var providers = OrtEnv.Instance().GetAvailableProviders();
        Assert.That(providers, Does.Contain("CPUExecutionProvider"));
        using var options = new SessionOptions();
        Assert.That(options, Is.Not.Null);
    }
}
