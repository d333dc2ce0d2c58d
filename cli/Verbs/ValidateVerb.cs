using System.Globalization;
using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Runtime;
using Spectre.Console;
using Pipeline.Cli.Services;

namespace Pipeline.Cli.Verbs;

[Verb("validate", HelpText = "Re-check an exported artifact: format, file hashes, graph signatures, then its test vectors on an execution provider within atol/rtol.")]
public sealed class ValidateOptions
{
    [Value(0, MetaName = "ARTIFACT", Required = true, HelpText = "The artifact folder (holding manifest.json).")]
    public string Artifact { get; set; } = "";

    [Option("ep", Default = "auto", HelpText = "Execution provider: auto (CUDA where it loads, else CPU), cpu or cuda (fails where CUDA cannot load).")]
    public string Ep { get; set; } = "auto";

    [Option("atol", HelpText = "Absolute tolerance (default: the manifest's). An element fails only where both atol and rtol are exceeded.")]
    public double? Atol { get; set; }

    [Option("rtol", HelpText = "Relative tolerance (default: the manifest's).")]
    public double? Rtol { get; set; }

    [Option("threads", Default = 2, HelpText = "ONNX Runtime intra-op threads.")]
    public int Threads { get; set; } = 2;

    [Option("json", HelpText = "Also write the report as JSON to this file (written atomically); - for standard output alone.")]
    public string? Json { get; set; }
}

public static class ValidateVerb
{
    /// <summary>0 when every output passes, 1 when a numeric check fails; structural faults throw (exit 2).</summary>
    public static int Run(ValidateOptions args, Terminal terminal)
    {
        OptionChecks.Threads(args.Threads);
        var settings = new SessionSettings(args.Threads, Provider: ExecutionProviders.Parse(args.Ep));
        var report = ArtifactValidator.Validate(args.Artifact, settings, args.Atol, args.Rtol);
        if (args.Json != "-") ValidationSummary.Print(report, terminal);  // "-": standard output carries the JSON alone
        if (args.Json is { } json)
        {
            report.WriteJson(json);
            if (json != "-") terminal.Info($"report written to {Path.GetFullPath(json)}");
        }
        return report.Passed ? 0 : 1;
    }
}
