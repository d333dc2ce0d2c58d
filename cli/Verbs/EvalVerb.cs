using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Data;
using Pipeline.Eval;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using Spectre.Console;
using Pipeline.Cli.Services;

namespace Pipeline.Cli.Verbs;

[Verb("eval", HelpText = "Evaluate an ONNX artifact on a 2DS split under ONNX Runtime: accuracy per category and object count, permutation test, embedding norms, attention entropy and maps.")]
public sealed class EvalOptionsCli
{
    [Option("artifact", Required = true, HelpText = "Artifact folder (from 'pipeline export').")]
    public string Artifact { get; set; } = "";

    [Option("data", Required = true, HelpText = "2DS split folder, e.g. artifacts/runs/small/data/test.")]
    public string Data { get; set; } = "";

    [Option("out", Required = true, HelpText = "Folder for eval.json, predictions.jsonl and norms.json (written atomically).")]
    public string Out { get; set; } = "";

    [Option("ep", Default = "auto", HelpText = "auto (CUDA where it loads, else CPU), cpu or cuda.")]
    public string Ep { get; set; } = "auto";

    [Option("threads", Default = 2, HelpText = "Cores to use: this many batches run side by side on the CPU, one thread each.")]
    public int Threads { get; set; } = 2;

    [Option("seeds", Default = 5, HelpText = "Permutation-test seeds (0 skips the test).")]
    public int Seeds { get; set; } = 5;

    [Option("permutation", Default = "per-question", HelpText = "Table 1's shuffle: per-question (a fresh permutation each, the authors' way) or fixed (one per seed).")]
    public string Permutation { get; set; } = "per-question";

    [Option("batch", Default = 64, HelpText = "Questions per batch.")]
    public int Batch { get; set; } = 64;

    [Option("force", Default = false, HelpText = "Replace an existing, non-empty output folder.")]
    public bool Force { get; set; }
}

public static class EvalVerb
{
    public static int Run(EvalOptionsCli args, Terminal terminal)
    {
        var options = ArtifactEvaluation.Options(args.Artifact, args.Data, args.Ep, args.Threads, args.Seeds, args.Batch) with
        {
            Permutation = args.Permutation.Trim().ToLowerInvariant() switch
            {
                "per-question" => PermutationMode.PerQuestion,
                "fixed" => PermutationMode.Fixed,
                _ => throw new ArgumentException($"unknown --permutation '{args.Permutation}': use per-question or fixed"),
            },
        };
        AtomicDirectory.EnsureWritable(Path.GetFullPath(args.Out), args.Force);
        var result = ArtifactEvaluation.Evaluate(options, terminal);
        Pipeline.Eval.Study.EvalFiles.Write(args.Out, result, args.Force);
        ArtifactEvaluation.Print(result.Evaluation, terminal);
        terminal.Info($"wrote {Path.GetFullPath(args.Out)}");
        return 0;
    }
}
