using System.Text.Json;
using Pipeline.Study.Compare;
using Pipeline.Cli.Console;
using Pipeline.Data;
using Pipeline.Runtime;
using Spectre.Console;

namespace Pipeline.Cli.Services;

/// <summary>Comparing runtimes on one variant: running it, writing the result, its table on the console.</summary>
public static class RuntimeComparisons
{
    public static ComparisonResult Compare(CompareOptions options, Terminal terminal)
    {
        var result = RuntimeComparison.Run(options, terminal.Lines);
        Print(result);
        return result;
    }

    public static void Write(string path, ComparisonResult result)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, Json.Indented) + "\n");
    }

    public static void Print(ComparisonResult r)
    {
        var table = new Table().Title($"{Markup.Escape(r.Variant)}: runtimes on {r.Questions} questions (batch {r.BatchSize}, {r.Threads} threads)")
            .AddColumn("runtime").AddColumn("opset").AddColumn("ORT opt").AddColumn("EP")
            .AddColumn(new TableColumn("questions/s").RightAligned()).AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn("agreement").RightAligned()).AddColumn(new TableColumn("max abs diff").RightAligned());
        foreach (var row in r.Rows)
            table.AddRow(row.Runtime, row.Opset?.ToString() ?? "-", row.Optimization, row.ExecutionProvider, $"{row.QuestionsPerSecond:F0}",
                $"{row.Accuracy:P1}", $"{row.Agreement:P2}", row.Outputs.Count == 0 ? "-" : row.Outputs.Max(o => o.MaxAbs).ToString("G3"));
        AnsiConsole.Write(table);
    }
}
