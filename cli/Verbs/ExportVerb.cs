using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Export;
using Spectre.Console;
using Pipeline.Cli.Services;

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
        OptionChecks.Threads(args.Threads);
        TorchSharp.torch.set_num_threads(args.Threads);
        var result = ArtifactExporter.Export(new ExportOptions(args.Checkpoint, args.Out, args.Opset, args.Force));
        ExportSummary.PrintSummary(result, terminal);
        return 0;
    }
}
