using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Cli.Stages;

namespace Pipeline.Cli.Verbs;

[Verb("run", HelpText = "Run the whole study on a preset: data, pretraining, the three variants, export, validation, evaluation and the report. Re-running resumes an interrupted run; a finished run does nothing.")]
public sealed class RunOptions : StageOptionsBase
{
    [Option("until", HelpText = "Stop after this stage (data, pretrain, train, export, validate, eval, report).")]
    public string? Until { get; set; }

    [Option("seeds", HelpText = "A study over N training seeds (from --seed on): every variant per seed under RUN/seeds, the claims judged in RUN/report/seeds.md.")]
    public int? Seeds { get; set; }
}

public static class RunVerb
{
    public static int Run(RunOptions args, Terminal terminal)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var settings = args.Settings(terminal);
        if (args.Seeds is not null && args.Until is not null) throw new ArgumentException("--until and --seeds do not go together: a study over seeds runs every stage of every seed");
        var last = args.Until is string until ? StageEngine.Parse(until) : StageEngine.All[^1];
        if (args.Seeds is int seeds) Services.SeedStudyRun.Check(settings, seeds);
        using var hold = RunHold.Take(settings.RunDir, terminal);
        if (args.Seeds is int count)
        {
            Services.SeedStudyRun.Run(settings, count);
            terminal.Info($"study over {count} seeds in {clock.Elapsed.TotalMinutes:F1} min");
            return 0;
        }
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
