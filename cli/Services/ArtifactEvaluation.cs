using Pipeline.Cli.Console;
using Pipeline.Data;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using Spectre.Console;

namespace Pipeline.Cli.Services;

/// <summary>Evaluating an artifact under ONNX Runtime, and its summary on the console.</summary>
public static class ArtifactEvaluation
{
    public static EvalOptions Options(string artifact, string data, string ep, int threads, int seeds, int batch)
    {
        Verbs.OptionChecks.Threads(threads);
        if (seeds < 0) throw new ArgumentException($"--seeds must be 0 or more (got {seeds})");
        if (batch < 1) throw new ArgumentException($"--batch must be positive (got {batch})");
        var settings = SessionSettings.ForAnswering(threads, ExecutionProviders.Parse(ep));
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
