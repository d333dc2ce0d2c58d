using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Export;
using Spectre.Console;

namespace Pipeline.Cli.Verbs;

[Verb("export", HelpText = "Export a variant's checkpoint as a portable ONNX artifact: vision and language graphs with the adapters inside, vocab, test vectors, manifest, model card.")]
public sealed class ExportOptionsCli
{
    [Option("checkpoint", Required = true, HelpText = "A variant's checkpoint folder, e.g. artifacts/runs/small/stages/norm/2-qa/checkpoint.")]
    public string Checkpoint { get; set; } = "";

    [Option("out", Required = true, HelpText = "Artifact folder to write (created atomically).")]
    public string Out { get; set; } = "";

    [Option("opset", Default = ExportOpsets.Default, HelpText = "17: primitive ops, portable (default); 23: standard RMSNormalization, RotaryEmbedding and Attention.")]
    public int Opset { get; set; } = ExportOpsets.Default;

    [Option("force", Default = false, HelpText = "Replace an existing, non-empty output folder.")]
    public bool Force { get; set; }

    [Option("threads", Default = 2, HelpText = "TorchSharp threads for the reference outputs.")]
    public int Threads { get; set; } = 2;
}

public static class ExportVerb
{
    public static int Run(ExportOptionsCli args, Terminal terminal)
    {
        if (args.Threads <= 0) throw new ArgumentException($"--threads must be positive (got {args.Threads})");
        TorchSharp.torch.set_num_threads(args.Threads);
        var result = ArtifactExporter.Export(new ExportOptions(args.Checkpoint, args.Out, args.Opset, args.Force));
        PrintSummary(result, terminal);
        return 0;
    }

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
