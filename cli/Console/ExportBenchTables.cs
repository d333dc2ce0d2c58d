using Pipeline.Runtime;
using Pipeline.Study.Bench;
using Spectre.Console;

namespace Pipeline.Cli.Console;

/// <summary>The export benchmark's tables on the terminal.</summary>
public static class ExportBenchTables
{
    public static void Write(ExportBenchResult result)
    {
        foreach (var parity in result.Parity) AnsiConsole.Write(ParityTable(parity));
        AnsiConsole.Write(ExportTable(result.Exports));
        AnsiConsole.Write(DecodeTable(result.Decodes, result.Questions));
    }

    public static Table ParityTable(ExportBench.VariantParity p)
    {
        var table = new Table().Title(Markup.Escape($"{p.Variant}: ONNX Runtime (CPU) vs TorchSharp, {p.BatchQuestions} 2DS-test questions (atol 1e-4, rtol 1e-3)"))
            .AddColumn("output").AddColumn("shape");
        var parity = p.ByOpset;
        foreach (int opset in parity.Keys)
            table.AddColumn(new TableColumn($"{opset}: max abs").RightAligned()).AddColumn(new TableColumn("max rel").RightAligned()).AddColumn("");
        var first = parity.Values.First();
        for (int i = 0; i < first.Count; i++)
        {
            var cells = new List<string> { Markup.Escape(first[i].Name), first[i].Shape };
            foreach (var rows in parity.Values)
            {
                var r = rows[i];
                cells.Add(r.MaxAbs.ToString("0.0E+0"));
                cells.Add(r.MaxRel.ToString("0.0E+0"));
                cells.Add(r.Passed ? "pass" : $"[red]FAIL {r.Mismatches}/{r.Count}{Markup.Escape(r.Problem is null ? "" : " " + r.Problem)}[/]");
            }
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    public static Table ExportTable(IEnumerable<ExportBench.ExportFigures> exports)
    {
        var table = new Table().Title("Export: time and artifact size (MB) against parameters × 4 B + test vectors")
            .AddColumn("variant").AddColumn(new TableColumn("opset").RightAligned()).AddColumn(new TableColumn("s").RightAligned())
            .AddColumn(new TableColumn("artifact").RightAligned()).AddColumn(new TableColumn("params×4+vectors").RightAligned()).AddColumn(new TableColumn("diff").RightAligned())
            .AddColumn(new TableColumn("read params×4+vectors").RightAligned()).AddColumn(new TableColumn("diff").RightAligned())
            .AddColumn(new TableColumn("initializers").RightAligned()).AddColumn(new TableColumn("vectors").RightAligned()).AddColumn(new TableColumn("other").RightAligned());
        foreach (var e in exports)
            table.AddRow(Markup.Escape(e.Variant), e.Opset.ToString(), e.Seconds.ToString("F2"), MbNumber(e.TotalBytes), MbNumber(e.Budget),
                $"{e.DiffPercent:+0.00;-0.00}%", MbNumber(e.ExportedBudget), $"{e.ExportedDiffPercent:+0.00;-0.00}%",
                MbNumber(e.InitializerBytes), MbNumber(e.TestVectorBytes), MbNumber(e.OtherBytes));
        return table;
    }

    public static Table DecodeTable(IEnumerable<ExportBench.DecodeFigures> decodes, int questions)
    {
        var table = new Table().Title($"Greedy answers on {questions} 2DS-test questions (batch {GreedyAnswers.BatchSize}, at most {GreedyAnswers.MaxAnswerTokens} tokens)")
            .AddColumn("variant").AddColumn("runtime").AddColumn(new TableColumn("same as TorchSharp").RightAligned())
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("questions/s").RightAligned())
            .AddColumn(new TableColumn("vision s").RightAligned()).AddColumn(new TableColumn("decode s").RightAligned());
        foreach (var d in decodes)
            table.AddRow(Markup.Escape(d.Variant), Markup.Escape(d.Runtime),
                d.Identical is int n ? (n == questions ? $"{n}/{questions}" : $"[red]{n}/{questions}[/]") : "—",
                d.Accuracy.ToString("P1") + (d.TrainingAccuracy is double t ? $" (eval.json {t:P1})" : ""),
                d.QuestionsPerSecond.ToString("F0"), d.Decoded.VisionSeconds.ToString("F2"), d.Decoded.DecodeSeconds.ToString("F2"));
        return table;
    }

    static string MbNumber(long bytes) => (bytes / 1e6).ToString("F3");
}
