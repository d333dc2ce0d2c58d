using System.Globalization;
using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Runtime;
using Spectre.Console;

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

    [Option("json", HelpText = "Also write the report as JSON to this file (written atomically).")]
    public string? Json { get; set; }
}

public static class ValidateVerb
{
    /// <summary>0 when every output passes, 1 when a numeric check fails; structural faults throw (exit 2).</summary>
    public static int Run(ValidateOptions args, Terminal terminal)
    {
        if (args.Threads <= 0) throw new ArgumentException($"--threads must be positive (got {args.Threads})");
        var settings = new SessionSettings(args.Threads, Provider: ExecutionProviders.Parse(args.Ep));
        var report = ArtifactValidator.Validate(args.Artifact, settings, args.Atol, args.Rtol);
        Print(report, terminal);
        if (args.Json is { } json)
        {
            report.WriteJson(json);
            terminal.Info($"report written to {Path.GetFullPath(json)}");
        }
        return report.Passed ? 0 : 1;
    }

    public static void Print(ValidationReport r, Terminal terminal)
    {
        terminal.Info($"artifact {r.Directory}: variant {r.Variant}, format {r.FormatVersion}; files and signatures match the manifest");
        terminal.Info($"execution provider: {r.ExecutionProvider}" + (r.FallbackReason is { } why ? $" (auto fell back to the CPU: {why})" : ""));
        foreach (var set in r.Outputs.GroupBy(o => o.TestSet))
            AnsiConsole.Write(Table(set.Key, set, r));
        int failed = r.Outputs.Count(o => !o.Passed);
        terminal.Info(r.Passed
            ? $"PASS: all {r.Outputs.Count} outputs within atol {G(r.Atol)} or rtol {G(r.Rtol)}"
            : $"FAIL: {failed} of {r.Outputs.Count} outputs exceed both atol {G(r.Atol)} and rtol {G(r.Rtol)} somewhere");
    }

    static Table Table(string testSet, IEnumerable<OutputCheck> outputs, ValidationReport r)
    {
        var table = new Table().Title(Markup.Escape($"{testSet} on {r.ExecutionProvider} (atol {G(r.Atol)}, rtol {G(r.Rtol)})"))
            .AddColumn("graph").AddColumn("output").AddColumn("shape")
            .AddColumn(new TableColumn("max abs").RightAligned()).AddColumn(new TableColumn("max rel").RightAligned())
            .AddColumn(new TableColumn("mismatches").RightAligned()).AddColumn("result");
        foreach (var o in outputs)
            table.AddRow(Markup.Escape(o.Graph), Markup.Escape(o.Output), Markup.Escape(o.Shape), G(o.MaxAbs), G(o.MaxRel),
                $"{o.Mismatches}/{o.Count}", o.Passed ? "pass" : $"[red]FAIL[/]{(o.Problem is null ? "" : " " + Markup.Escape(o.Problem))}");
        return table;
    }

    static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
