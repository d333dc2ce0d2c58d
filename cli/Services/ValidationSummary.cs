using System.Globalization;
using Pipeline.Cli.Console;
using Pipeline.Runtime;
using Spectre.Console;

namespace Pipeline.Cli.Services;

/// <summary>A validation report on the console.</summary>
public static class ValidationSummary
{
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
