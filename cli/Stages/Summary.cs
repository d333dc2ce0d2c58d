using System.Text.Json;
using Pipeline.Cli.Verbs;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>The closing lines of a run: the results table and where to read more.</summary>
public static class Summary
{
    public static void Print(StageSettings s)
    {
        string training = Path.Combine(s.RunDir, "stages", Trainer.SummaryFile);
        if (File.Exists(training) && JsonSerializer.Deserialize<TrainSummary>(File.ReadAllText(training), Pipeline.Data.Json.Indented) is { } summary && summary.Variants.Count > 0)
            TrainVerb.PrintSummary(summary);
        foreach (var (label, path) in new[] { ("report", Path.Combine(s.ReportDir, "report.md")), ("training report", Path.Combine(s.RunDir, "stages", "training.md")) })
            if (File.Exists(path))
            {
                s.Terminal.Info($"{label}: {path}");
                break;
            }
    }
}
