using System.Text.Json;

namespace Pipeline.Tests.Build;

/// <summary>The TorchBackend switch: which TorchSharp package each project references (TorchSharp.PyBridge is not one), and a clear error for an unknown value.</summary>
[TestFixture]
public class TorchBackendTests
{
    static readonly string[] TorchProjects = ["train/Pipeline.Train.csproj", "export/Pipeline.Export.csproj", "tests/Pipeline.Tests.csproj"];

    [TestCase("cpu", "TorchSharp-cpu")]
    [TestCase("cuda", "TorchSharp-cuda-linux")]
    [TestCase("system", "TorchSharp")]
    public void EachBackendReferencesExactlyOneTorchSharpPackage(string backend, string package)
    {
        foreach (var project in TorchProjects)
        {
            var result = MSBuildRunner.Run("msbuild", project, ["-getItem:PackageReference", $"-p:TorchBackend={backend}"], timeoutSeconds: 120);
            Assert.That(result.Succeeded, Is.True, result.ToString());
            var json = result.Output[result.Output.IndexOf('{')..];
            var torch = JsonDocument.Parse(json).RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
                .Select(i => i.GetProperty("Identity").GetString()!).Where(id => id == "TorchSharp" || id.StartsWith("TorchSharp-", StringComparison.Ordinal)).ToArray();
            Assert.That(torch, Is.EqualTo(new[] { package }), project);
        }
    }

    [Test]
    public void AnUnknownBackendFailsNamingTheChoices()
    {
        var result = MSBuildRunner.Run("msbuild", TorchProjects[0], ["-t:PipelineCheckTorchBackend", "-p:TorchBackend=rocm"], timeoutSeconds: 120);
        Assert.That(result.Succeeded, Is.False, result.ToString());
        Assert.That(result.Output, Does.Contain("TorchBackend 'rocm' is not known").And.Contain("cpu").And.Contain("system"));
    }
}
