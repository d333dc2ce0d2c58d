using Pipeline.Cli.Services;
using System.Globalization;
using Pipeline.Cli.Verbs;
using Pipeline.Eval.Study;
using Pipeline.Train.Training;
using Spectre.Console;

namespace Pipeline.Cli.Stages;

/// <summary>The closing lines of a run: the results table (from the ONNX evaluation where it ran, else training's) and where to read more.</summary>
public static class Summary
{
    public static void Print(StageSettings s)
    {
        var evals = s.Variants.Select(v => (v, Dir: s.EvalDir(v))).Where(p => File.Exists(Path.Combine(p.Dir, EvalFiles.EvalFile)))
            .Select(p => EvalFiles.Read(p.Dir)).ToArray();
        if (evals.Length > 0) AnsiConsole.Write(Table(s.Preset.Name, evals));
        else if (Trainer.ReadSummary(s.RunDir) is { Variants.Count: > 0 } summary) TrainingRuns.PrintSummary(summary);
        foreach (var (label, path) in new[] { ("report", Path.Combine(s.ReportDir, "report.md")), ("training report", s.Layout.Stage(Pipeline.Study.Reports.TrainingReport.FileName)) })
            if (File.Exists(path))
            {
                s.Terminal.Info($"{label}: {path}");
                break;
            }
    }

    static Table Table(string preset, IReadOnlyList<VariantEvaluation> evals)
    {
        var table = new Table().Title($"2DS-test under ONNX Runtime ({evals[0].ExecutionProvider}), preset {preset}").AddColumn("");
        foreach (var e in evals) table.AddColumn(new TableColumn(e.Variant).RightAligned());
        table.AddColumn(new TableColumn("chance").RightAligned());
        foreach (var (category, _) in evals[0].Accuracy.PerCategory)
            table.AddRow([category, .. evals.Select(e => P(e.Accuracy.PerCategory[category].Accuracy)), P(evals[0].Chance.GetValueOrDefault(category))]);
        table.AddRow(["overall", .. evals.Select(e => P(e.Accuracy.Overall.Accuracy)), ""]);
        table.AddRow(["permutation Δ (points)", .. evals.Select(e => e.Permutation is { } p ? (100 * p.Overall.Delta.Mean).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) : "-"), ""]);
        table.AddRow(["attention entropy", .. evals.Select(e => e.Entropy.FirstAnswerToken.Mean.ToString("F3", CultureInfo.InvariantCulture)), ""]);
        table.AddRow(["vision/text norm", .. evals.Select(e => e.Norms.Ratio.ToString("F2", CultureInfo.InvariantCulture)), ""]);
        return table;
    }

    static string P(double? fraction) => fraction is double f ? f.ToString("P1", CultureInfo.InvariantCulture) : "-";
}
