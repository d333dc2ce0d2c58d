using System.Runtime.InteropServices;

namespace Pipeline.Eval.Reports;

/// <summary>
/// The machine a report's numbers come from. The execution provider is the one the sessions
/// actually ran on (after any fallback), not the one asked for.
/// </summary>
public sealed record ReportEnvironment(string Machine, string OperatingSystem, int CpuCores, string DotNet, string? OrtVersion, string? ExecutionProvider)
{
    /// <summary>This process's machine; ORT version and EP come from the runner (eval does not load ORT).</summary>
    public static ReportEnvironment Current(string? ortVersion, string? executionProvider) => new(
        Environment.MachineName,
        RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        ortVersion,
        executionProvider);

    /// <summary>Label/value pairs in display order; unknowns say so.</summary>
    public IReadOnlyList<(string Label, string Value)> Rows() =>
    [
        ("Machine", Machine),
        ("OS", OperatingSystem),
        ("CPU cores", CpuCores.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        (".NET", DotNet),
        ("ONNX Runtime", OrtVersion ?? "not used"),
        ("Execution provider", ExecutionProvider ?? "not used"),
    ];
}
