using Pipeline.Cli.Console;
using Pipeline.Train.Model;
using Pipeline.Train.Training;
using Spectre.Console;

namespace Pipeline.Cli.Services;

/// <summary>Training with the console display, and a training summary's table.</summary>
public static class TrainingRuns
{
    public static TrainSummary Train(TrainOptions options, Terminal terminal, int? stopAfter = null)
    {
        var display = new TrainingDisplay(terminal);
        return display.Run(() => Trainer.Run(options, display, stopAfter));
    }

    public static void PrintSummary(TrainSummary s)
    {
        System.Console.WriteLine($"0a presence accuracy {s.Vision.LabelAccuracy:P1} (colours {s.Vision.ColorAccuracy:P1}, shapes {s.Vision.ShapeAccuracy:P1}; base {s.Vision.BaseRate:P1})" + (s.Text is null ? "" : $"; 0b text QA accuracy {s.Text.QuestionAccuracy:P1}"));
        var table = new Table().Title($"2DS-test, preset {s.Preset}").AddColumn("category");
        foreach (var v in s.Variants) table.AddColumn(new TableColumn(v.Variant).RightAligned());
        table.AddColumn(new TableColumn("chance").RightAligned());
        if (s.Variants.Count == 0) return;
        foreach (var category in s.Variants[0].PerCategory.Keys)
            table.AddRow([category, .. s.Variants.Select(v => $"{v.PerCategory[category]:P1}"), $"{s.Variants[0].ChancePerCategory[category]:P1}"]);
        foreach (var count in s.Variants[0].PerObjectCount.Keys)
            table.AddRow([$"{count} objects", .. s.Variants.Select(v => $"{v.PerObjectCount[count]:P1}"), ""]);
        table.AddRow(["overall", .. s.Variants.Select(v => $"{v.Overall:P1}"), ""]);
        table.AddRow(["vision/text norm", .. s.Variants.Select(v => $"{v.NormRatio:F1}"), ""]);
        AnsiConsole.Write(table);
    }
}
