using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Cli.Stages;

namespace Pipeline.Cli.Verbs;

[Verb("run", HelpText = "Run the whole study on a preset: data, pretraining, the three variants, export, validation, evaluation and the report. Re-running resumes an interrupted run; a finished run does nothing.")]
public sealed class RunOptions : StageOptionsBase
{
    [Option("until", HelpText = "Stop after this stage (data, pretrain, train, export, validate, eval, report).")]
    public string? Until { get; set; }
}

public static class RunVerb
{
    public static int Run(RunOptions args, Terminal terminal)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var settings = args.Settings(terminal);
        using var hold = RunHold.Take(settings.RunDir, terminal);
        var last = args.Until is string until ? StageEngine.Parse(until) : StageEngine.All[^1];
        terminal.Info($"run '{settings.Preset.Name}' in {settings.RunDir} (variants {settings.VariantNames}, opset {settings.Opset}, ep {settings.Ep})");
        int ran = 0;
        foreach (var stage in StageEngine.All)
        {
            if (StageEngine.Run(stage, settings)) ran++;
            if (stage == last) break;
        }
        terminal.Info(ran == 0 ? "everything was up to date" : $"{ran} stage(s) ran in {clock.Elapsed.TotalMinutes:F1} min");
        Summary.Print(settings);
        return 0;
    }
}
