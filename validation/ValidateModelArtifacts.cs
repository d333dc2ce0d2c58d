using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Pipeline.Validation;

/// <summary>
/// Fails the build unless every artifact validates. Each artifact is checked by the validator in a
/// process of its own (ONNX Runtime never loads into MSBuild); every output that misses its tolerance
/// becomes an error of its own, naming the graph, output, test set and the differences found.
/// Item metadata ExecutionProvider, Atol and Rtol override the task's defaults per artifact.
/// </summary>
public sealed class ValidateModelArtifacts : MSBuildTask
{
    /// <summary>The artifact folders (each holding manifest.json).</summary>
    [Required]
    public ITaskItem[] Artifacts { get; set; } = [];

    /// <summary>Pipeline.Validation.dll, run with <see cref="DotnetHost"/>.</summary>
    [Required]
    public string Validator { get; set; } = "";

    /// <summary>The dotnet executable; empty = the one running this build, else dotnet on PATH.</summary>
    public string DotnetHost { get; set; } = "";

    /// <summary>The folder holding libonnxruntime.so; empty = beside the validator.</summary>
    public string OnnxRuntimeDirectory { get; set; } = "";

    /// <summary>auto (CUDA where it loads, else the CPU), cpu or cuda.</summary>
    public string ExecutionProvider { get; set; } = "auto";

    public int TimeoutSeconds { get; set; } = 600;

    public override bool Execute()
    {
        foreach (var item in Artifacts)
            Validate(item);
        return !Log.HasLoggedErrors;
    }

    void Validate(ITaskItem item)
    {
        string dir = Path.GetFullPath(item.ItemSpec).TrimEnd('/');
        string manifest = Path.Combine(dir, "manifest.json");
        if (!Directory.Exists(dir))
        {
            Log.LogError(null, "PV001", null, dir, 0, 0, 0, 0, $"Model artifact {dir} does not exist.");
            return;
        }
        string ep = Metadata(item, "ExecutionProvider") ?? ExecutionProvider;
        Log.LogMessage(MessageImportance.High, $"Validating model artifact {dir} (ep {ep})");
        var args = new List<string> { Validator, dir, "--ep", ep };
        if (Metadata(item, "Atol") is { } atol) args.AddRange(["--atol", atol]);
        if (Metadata(item, "Rtol") is { } rtol) args.AddRange(["--rtol", rtol]);
        if (OnnxRuntimeDirectory.Length > 0) args.AddRange(["--onnxruntime", OnnxRuntimeDirectory]);

        var (exit, stdout, stderr) = RunValidator(args);
        switch (exit)
        {
            case 0:
                var passed = JsonDocument.Parse(stdout).RootElement;
                Log.LogMessage(MessageImportance.High,
                    $"Model artifact {dir} validates: {passed.GetProperty("outputs").GetArrayLength()} outputs within tolerance on {passed.GetProperty("execution_provider").GetString()}.");
                break;
            case 1:
                LogFailedOutputs(dir, manifest, JsonDocument.Parse(stdout).RootElement);
                break;
            case 2:
                Log.LogError(null, "PV002", null, manifest, 0, 0, 0, 0, $"Model artifact {dir} does not validate: {LastLine(stderr).Replace("error: ", "")}");
                break;
            default:
                Log.LogError(null, "PV003", null, manifest, 0, 0, 0, 0, $"The validator failed on {dir} (exit code {exit}): {LastLine(stderr)}");
                break;
        }
    }

    void LogFailedOutputs(string dir, string manifest, JsonElement report)
    {
        string ep = report.GetProperty("execution_provider").GetString() ?? "";
        string atol = Number(report.GetProperty("atol")), rtol = Number(report.GetProperty("rtol"));
        foreach (var o in report.GetProperty("outputs").EnumerateArray().Where(o => !o.GetProperty("passed").GetBoolean()))
        {
            string what = o.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.String
                ? p.GetString()!
                : $"{o.GetProperty("mismatches").GetInt64()} of {o.GetProperty("count").GetInt64()} elements exceed both atol {atol} and rtol {rtol} (max abs {Number(o.GetProperty("max_abs"))}, max rel {Number(o.GetProperty("max_rel"))})";
            Log.LogError(null, "PV004", null, manifest, 0, 0, 0, 0,
                $"Model artifact {dir} does not validate: output {o.GetProperty("output").GetString()} of graph {o.GetProperty("graph").GetString()} on {o.GetProperty("test_set").GetString()} ({ep}): {what}");
        }
    }

    (int Exit, string Stdout, string Stderr) RunValidator(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Host()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromSeconds(TimeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, "", $"ran past {TimeoutSeconds} s (TimeoutSeconds)");
        }
        process.WaitForExit();
        lock (stdout) lock (stderr) return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    string Host() =>
        DotnetHost.Length > 0 ? DotnetHost
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";

    static string? Metadata(ITaskItem item, string name) => item.GetMetadata(name) is { Length: > 0 } v ? v : null;

    static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";

    /// <summary>A report number (NaN arrives as a string).</summary>
    static string Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString("G3", CultureInfo.InvariantCulture) : e.ToString();
}
