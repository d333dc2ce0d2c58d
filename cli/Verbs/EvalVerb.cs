using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Data;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using Spectre.Console;

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

    [Option("threads", Default = 2, HelpText = "ONNX Runtime intra-op threads.")]
    public int Threads { get; set; } = 2;

    [Option("seeds", Default = 5, HelpText = "Permutation-test seeds (0 skips the test).")]
    public int Seeds { get; set; } = 5;

    [Option("batch", Default = 64, HelpText = "Questions per batch.")]
    public int Batch { get; set; } = 64;

    [Option("force", Default = false, HelpText = "Replace an existing, non-empty output folder.")]
    public bool Force { get; set; }
}

public static class EvalVerb
{
    public static int Run(EvalOptionsCli args, Terminal terminal)
    {
        var options = Options(args.Artifact, args.Data, args.Ep, args.Threads, args.Seeds, args.Batch);
        AtomicDirectory.EnsureWritable(Path.GetFullPath(args.Out), args.Force);
        var result = Evaluate(options, terminal);
        Pipeline.Eval.Study.EvalFiles.Write(args.Out, result, args.Force);
        Print(result.Evaluation, terminal);
        terminal.Info($"wrote {Path.GetFullPath(args.Out)}");
        return 0;
    }

    public static EvalOptions Options(string artifact, string data, string ep, int threads, int seeds, int batch)
    {
        if (threads < 1) throw new ArgumentException($"--threads must be positive (got {threads})");
        if (seeds < 0) throw new ArgumentException($"--seeds must be 0 or more (got {seeds})");
        if (batch < 1) throw new ArgumentException($"--batch must be positive (got {batch})");
        var settings = new SessionSettings(threads, true, ExecutionProviders.Parse(ep));
        return new EvalOptions(artifact, data, settings, batch, Seeds: Enumerable.Range(1, seeds).ToArray());
    }

    public static ArtifactEvaluator.Result Evaluate(EvalOptions options, Terminal terminal) =>
        ArtifactEvaluator.Run(options, terminal.Lines);

    public static void Print(VariantEvaluation e, Terminal terminal)
    {
        terminal.Info($"{e.Variant}: {e.ExecutionProvider}{(e.FallbackReason is { } why ? $" (CUDA not used: {why})" : "")}; " +
            $"{e.Accuracy.Overall.Total} questions in {e.Timing.TotalSeconds:F1} s ({e.Timing.QuestionsPerSecond:F0} questions/s answering)");
        var table = new Table().Title($"2DS-test, {Markup.Escape(e.Variant)} (ONNX Runtime)").AddColumn("category")
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("chance").RightAligned())
            .AddColumn(new TableColumn("permuted Δ (mean ± sd)").RightAligned());
        foreach (var (category, cell) in e.Accuracy.PerCategory)
        {
            var delta = e.Permutation is { } perm && perm.PerCategory.TryGetValue(category, out var d) ? $"{d.Delta.Mean * 100:+0.0;-0.0} ± {d.Delta.Std * 100:F1}" : "";
            table.AddRow(category, Percent(cell.Accuracy), Percent(e.Chance.GetValueOrDefault(category)), delta);
        }
        table.AddRow("overall", Percent(e.Accuracy.Overall.Accuracy), "", e.Permutation is { } p ? $"{p.Overall.Delta.Mean * 100:+0.0;-0.0} ± {p.Overall.Delta.Std * 100:F1}" : "");
        AnsiConsole.Write(table);
        terminal.Info($"norms: vision tokens mean {e.Norms.ImageTokens.Mean:G3} vs text {e.Norms.Text.Mean:G3} (ratio {e.Norms.Ratio:F1}); " +
            $"attention entropy {e.Entropy.FirstAnswerToken.Mean:F3} (first answer token), {e.Entropy.AllText.Mean:F3} (all text)");
    }

    static string Percent(double? value) => value is double v ? $"{v:P1}" : "-";
}
