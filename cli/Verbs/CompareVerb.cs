using System.Text.Json;
using CommandLine;
using Pipeline.Study.Compare;
using Pipeline.Cli.Console;
using Pipeline.Data;
using Pipeline.Runtime;
using Spectre.Console;
using Pipeline.Cli.Services;

namespace Pipeline.Cli.Verbs;

[Verb("compare", HelpText = "Compare runtimes on one variant: TorchSharp eager vs ONNX Runtime CPU (and CUDA where it loads), opset 17 vs 23, ORT optimisation off vs all — output differences, answer agreement on 2DS-test, throughput.")]
public sealed class CompareOptionsCli
{
    [Option("checkpoint", Required = true, HelpText = "The variant's checkpoint folder (stages/VARIANT/2-qa/checkpoint).")]
    public string Checkpoint { get; set; } = "";

    [Option("artifact", Required = true, HelpText = "The variant's artifact folder; the other opset is exported beside the output.")]
    public string Artifact { get; set; } = "";

    [Option("data", Required = true, HelpText = "2DS split folder (the test split).")]
    public string Data { get; set; } = "";

    [Option("out", Required = true, HelpText = "Folder for compare.json.")]
    public string Out { get; set; } = "";

    [Option("ep", Default = "auto", HelpText = "auto (CUDA too where it loads), cpu, or cuda (fails where it cannot load).")]
    public string Ep { get; set; } = "auto";

    [Option("threads", Default = 2, HelpText = "Threads for TorchSharp and ONNX Runtime alike.")]
    public int Threads { get; set; } = 2;

    [Option("limit", HelpText = "Compare on the first N questions only.")]
    public int? Limit { get; set; }
}

public static class CompareVerb
{
    public static int Run(CompareOptionsCli args, Terminal terminal)
    {
        if (args.Limit is <= 0) throw new ArgumentException($"--limit must be positive (got {args.Limit})");
        string output = Path.GetFullPath(args.Out);
        var result = RuntimeComparisons.Compare(new CompareOptions(args.Checkpoint, args.Artifact, args.Data, Path.Combine(output, "exports"),
            ExecutionProviders.Parse(args.Ep), args.Threads, Limit: args.Limit), terminal);
        RuntimeComparisons.Write(Path.Combine(output, ComparisonResult.FileName), result);
        terminal.Info($"wrote {Path.Combine(output, ComparisonResult.FileName)}");
        return 0;
    }
}
