using System.Diagnostics;
using System.Text;

namespace Pipeline.Tests.Build;

/// <summary>The output of one `dotnet msbuild` / `dotnet build` run, with what it says about the stage targets.</summary>
public sealed record BuildResult(int ExitCode, string Output)
{
    public static readonly string[] Targets = ["Data", "Pretrain", "Train", "Export", "Validate", "Eval", "Report"];

    public bool Succeeded => ExitCode == 0;

    /// <summary>MSBuild skipped the stage target: its record is newer than its stamp.</summary>
    public bool Skipped(string target) =>
        Output.Contains($"Skipping target \"{target}\" because all output files are up-to-date", StringComparison.Ordinal);

    /// <summary>The stage target ran (and called the CLI).</summary>
    public bool Ran(string target) =>
        Output.Contains($"Pipeline stage {target.ToLowerInvariant()}: running", StringComparison.Ordinal);

    public string[] RanTargets => Targets.Where(Ran).ToArray();

    /// <summary>The log's tail, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n{(Output.Length > 6000 ? Output[^6000..] : Output)}";
}

/// <summary>Runs MSBuild in a child process from the repository root, as a user or CI would.</summary>
public static class MSBuildRunner
{
    /// <summary>The configuration these tests were built in: the CLI's build in it is already up to date.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PipelineTargets => Path.Combine(RepoRoot, "build", "Pipeline.targets");

    public static string SampleDeployment => Path.Combine(RepoRoot, "tests", "Deployment", "SampleDeployment", "SampleDeployment.csproj");

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")) && File.Exists(Path.Combine(dir.FullName, "build", "Pipeline.targets")))
                return dir.FullName;
        throw new InvalidOperationException($"no repository root above {TestContext.CurrentContext.TestDirectory}");
    }

    /// <summary>`dotnet VERB PROJECT ARGS` at normal verbosity (which logs "Skipping target"), console logger, no node reuse.</summary>
    public static BuildResult Run(string verb, string project, IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 600)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[verb, project, "-nologo", "-tl:off", "-nr:false", "-v:n", .. args]) start.ArgumentList.Add(a);
        // The test host's MSBuild variables would point the child at the wrong SDK pieces.
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG" })
            start.Environment.Remove(name);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"dotnet {verb} {project} ran past {timeoutSeconds} s:\n{output}");
        }
        process.WaitForExit(); // drains the output events
        lock (output) return new BuildResult(process.ExitCode, output.ToString());
    }

    /// <summary>`dotnet msbuild build/Pipeline.targets -t:TARGET -p:K=V...`.</summary>
    public static BuildResult Stages(string target, IReadOnlyDictionary<string, string> properties, IDictionary<string, string>? environment = null) =>
        Run("msbuild", PipelineTargets, [$"-t:{target}", .. properties.Select(p => $"-p:{p.Key}={p.Value}")], environment);

    /// <summary>A fresh folder under the system temp folder.</summary>
    public static string Scratch(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pipeline-build-tests-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Flips one bit of the byte in the middle of a file.</summary>
    public static void FlipAByte(string path) => TestFiles.FlipByte(path, 0x01);
}
