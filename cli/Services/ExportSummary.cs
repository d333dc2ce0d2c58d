using Pipeline.Cli.Console;
using Pipeline.Export;
using Spectre.Console;

namespace Pipeline.Cli.Services;

/// <summary>An export's summary on the console: files, sizes, parity per output.</summary>
public static class ExportSummary
{
    public static void PrintSummary(ExportResult r, Terminal terminal)
    {
        var m = r.Manifest;
        terminal.Info($"exported {m.Variant} (opset {m.Opset}, IR {m.IrVersion}) to {r.Directory} in {r.Elapsed.TotalSeconds:F2} s: " +
            $"{m.Files.Count + 1} files, {Mb(r.TotalBytes)} (weights {Mb(r.WeightBytes)}, test vectors {Mb(r.TestVectorBytes)})");
        var table = new Table().Title("ONNX Runtime (CPU) vs TorchSharp on the test vectors")
            .AddColumn("output").AddColumn(new TableColumn("max abs").RightAligned()).AddColumn(new TableColumn("max rel").RightAligned()).AddColumn("result");
        foreach (var row in r.Parity)
            table.AddRow(Markup.Escape(row.Name), row.MaxAbs.ToString("G3"), row.MaxRel.ToString("G3"), row.Passed ? "pass" : "[red]FAIL[/]");
        AnsiConsole.Write(table);
    }

    static string Mb(long bytes) => $"{bytes / 1e6:F2} MB";
}
