using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Cli.Services;
using Pipeline.Train.Model;
using Pipeline.Train.Training;
using Spectre.Console;

namespace Pipeline.Cli.Verbs;

[Verb("train", HelpText = "Train the three variants (stages 0a, 0b, 1, 2) on a run's data and score them on 2DS-test.")]
public sealed class TrainOptionsCli : ModelOptions
{
    [Option("run", HelpText = "Run folder holding data/ (default: artifacts/runs/<preset>).")]
    public string? Run { get; set; }

    [Option("norm-constants", Default = "measured", HelpText = "measured (from the trained LM's embeddings) or paper (0.83, 1.22).")]
    public string NormConstants { get; set; } = "measured";

    [Option("norm-rule", Default = "match", HelpText = TrainVerb.NormRuleHelp)]
    public string NormRule { get; set; } = "match";

    [Option("pool", HelpText = "Pool the image tokens to k×k (spatial compression study).")]
    public int? Pool { get; set; }

    [Option("threads", HelpText = "TorchSharp threads (default: the preset's, 2).")]
    public int? Threads { get; set; }

    [Option("resume", Default = false, HelpText = "Continue from the last checkpoints of an interrupted run.")]
    public bool Resume { get; set; }

    [Option("until", Default = "all", HelpText = "Stop after this training stage: 0a, 0b or all.")]
    public string Until { get; set; } = "all";

    [Option("conv-stem", HelpText = "Override the preset's vision stem: true (convolutional) or false (linear patches).")]
    public bool? ConvStem { get; set; }
}

public static class TrainVerb
{
    public const string NormRuleHelp = "Norm adapter: match (vision tokens land at the text mean, the paper's §5.2 intent; default) or authors (their formula as is).";

    /// <summary>Parses --norm-rule.</summary>
    public static NormRule ParseNormRule(string text) => text.Trim().ToLowerInvariant() switch
    {
        "authors" => Pipeline.Train.Training.NormRule.Authors,
        "match" => Pipeline.Train.Training.NormRule.MatchText,
        _ => throw new ArgumentException($"unknown --norm-rule '{text}': use authors or match"),
    };

    public const string SeedHelp = "Training seed of every stage (default: the preset's, 1); the data keep their own seeds.";

    public const string TapsHelp = "Multilayer taps: paper (D/2, 2D/3, 5D/6, D; the default) or shallow (D/6, D/2, 5D/6, D; an ablation).";

    public const string StepsHelp = "Override stage steps, e.g. 0a=2000,0b=3000,1=300,2=2000.";

    public const string TextFormatHelp = "Stage 0b's text: single (the presets'), transcript (a scene's questions in one sequence; 20,000 steps on small/full), positions (transcript plus each object's x and y asked), grid-transcript (positions as cells of the patch grid) or grid-positions (both).";

    public const string BatchHelp = "Override stage batch sizes, e.g. 0b=32 (the peak learning rate stays unless --lr names one).";

    public const string LearningRateHelp = "Override stage peak learning rates, e.g. 0a=3e-4,2=1e-3.";

    public const string ScheduleHelp = "Override stage schedules, e.g. 0b=wsd: cosine (the presets'), wsd, or restarts:STEP/STEP/… (cosine restarted there).";

    public static int Run(TrainOptionsCli args, Terminal terminal)
    {
        var preset = args.ResolvePreset();
        if (args.ConvStem is bool stem) preset = preset with { Vision = preset.Vision with { ConvStem = stem } };
        string runDir = Path.GetFullPath(args.Run ?? RunLayout.DefaultRoot(preset.Name));
        var options = Options(args, preset, runDir);
        string stages = RunLayout.At(runDir).Stages;
        if (!args.Resume && Directory.Exists(stages))
            throw new IOException($"{stages} already holds checkpoints; pass --resume to continue them, or use another --run");
        using var hold = RunHold.Take(runDir, terminal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = TrainingRuns.Train(options, terminal);
        TrainingRuns.PrintSummary(summary);
        terminal.Info($"report: {Pipeline.Study.Reports.TrainingReport.Write(summary, preset, runDir, clock.Elapsed)}");
        return 0;
    }

    public static TrainOptions Options(TrainOptionsCli args, Preset preset, string runDir)
    {
        var variants = args.Variant.Trim().ToLowerInvariant() == "all"
            ? Enum.GetValues<Variant>()
            : args.Variant.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(VariantNames.Parse).ToArray();
        bool paper = args.NormConstants.ToLowerInvariant() switch
        {
            "measured" => false,
            "paper" => true,
            _ => throw new ArgumentException($"unknown --norm-constants '{args.NormConstants}': use measured or paper"),
        };
        OptionChecks.Threads(args.Threads);
        if (args.Pool is int k && (k < 1 || k > preset.Vision.GridSize))
            throw new ArgumentException($"--pool {k} must lie in [1, {preset.Vision.GridSize}] for preset '{preset.Name}'");
        Trainer.ResolveDevice(args.Device);
        var until = args.Until.ToLowerInvariant() switch
        {
            "0a" => TrainUntil.VisionPretraining,
            "0b" => TrainUntil.TextPretraining,
            "all" => TrainUntil.All,
            _ => throw new ArgumentException($"unknown --until '{args.Until}': use 0a, 0b or all"),
        };
        return new TrainOptions(preset, runDir, variants, paper, args.Pool, args.Device, args.Threads, until, NormRule: ParseNormRule(args.NormRule));
    }

    /// <summary>The preset options train, run and stage share (null or empty keeps the preset's).</summary>
    public static Preset WithOverrides(Preset preset, PresetOverrides o)
    {
        preset = WithTaps(preset, o.Taps);
        preset = WithSeed(preset, o.Seed);
        preset = WithTextFormat(preset, o.TextFormat);       // before --steps: transcripts bring their own 0b budget
        preset = WithSteps(preset, o.Steps);                 // before --schedule: restart points are checked against the steps
        preset = WithSchedules(preset, o.Schedules);
        preset = WithLearningRates(preset, o.LearningRates);
        return WithBatchSizes(preset, o.BatchSizes);
    }

    /// <summary>Applies a --taps choice (shallow or paper; null keeps the preset's).</summary>
    public static Preset WithTaps(Preset preset, string? taps) => taps?.Trim().ToLowerInvariant() switch
    {
        null => preset,
        "shallow" => preset with { Vision = preset.Vision with { ShallowTap = true } },
        "paper" => preset with { Vision = preset.Vision with { ShallowTap = false } },
        _ => throw new ArgumentException($"unknown --taps '{taps}': use shallow or paper"),
    };

    /// <summary>Applies a --text-format choice (null keeps the preset's).</summary>
    public static Preset WithTextFormat(Preset preset, string? format) =>
        format is null ? preset : preset.WithTextFormat(format.Trim().ToLowerInvariant());

    /// <summary>Applies a --seed choice (null keeps the preset's): a second seed shows whether a result is robust or a lucky draw.</summary>
    public static Preset WithSeed(Preset preset, long? seed) => seed switch
    {
        null => preset,
        < 0 => throw new ArgumentException($"--seed must be zero or positive (got {seed})"),
        long n => preset with { Seed = (ulong)n },
    };

    /// <summary>Applies "stage=steps" overrides (stages 0a, 0b, 1, 2) to a preset's budgets.</summary>
    public static Preset WithSteps(Preset preset, IEnumerable<string> overrides) =>
        WithBudgets<int>(preset, overrides, "--steps", "a positive step count", "0b=3000", text => int.TryParse(text, out int n) && n > 0 ? n : (int?)null, (b, steps) => b.WithSteps(steps));

    /// <summary>Applies "stage=schedule" overrides (stages 0a, 0b, 1, 2; cosine, wsd or restarts:STEP/STEP/…).</summary>
    public static Preset WithSchedules(Preset preset, IEnumerable<string> overrides) =>
        WithBudgets<(LrSchedule Schedule, RestartPoints? Restarts)>(preset, overrides, "--schedule", "cosine, wsd or restarts:STEP/STEP/…", "0b=wsd",
            ParseSchedule, WithSchedule);

    static (LrSchedule, RestartPoints?)? ParseSchedule(string text) => text.ToLowerInvariant() switch
    {
        "cosine" => (LrSchedule.Cosine, null),
        "wsd" => (LrSchedule.Wsd, null),
        var t when t.StartsWith("restarts:", StringComparison.Ordinal) && RestartPoints.Parse(t["restarts:".Length..]) is { } points => (LrSchedule.Restarts, points),
        _ => null,
    };

    static StageBudget WithSchedule(StageBudget b, (LrSchedule Schedule, RestartPoints? Restarts) s)
    {
        if (s.Restarts is { } points && points.Steps[^1] >= b.Steps)
            throw new ArgumentException($"--schedule restarts:{points}: every restart point must lie inside the stage's {b.Steps} steps (set them with --steps)");
        return b with { Schedule = s.Schedule, Restarts = s.Restarts };
    }

    /// <summary>Applies "stage=lr" overrides (stages 0a, 0b, 1, 2) to a preset's peak learning rates.</summary>
    public static Preset WithLearningRates(Preset preset, IEnumerable<string> overrides) =>
        WithBudgets<double>(preset, overrides, "--lr", "a positive learning rate", "0a=3e-4",
            text => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double lr) && lr > 0 && double.IsFinite(lr) ? lr : (double?)null,
            (b, lr) => b with { LearningRate = lr });

    /// <summary>Applies "stage=batch" overrides (stages 0a, 0b, 1, 2); the learning rate stays the preset's unless --lr names one.</summary>
    public static Preset WithBatchSizes(Preset preset, IEnumerable<string> overrides) =>
        WithBudgets<int>(preset, overrides, "--batch", "a positive batch size", "0b=32", text => int.TryParse(text, out int n) && n > 0 ? n : (int?)null,
            (b, size) => b with { BatchSize = size });

    static Preset WithBudgets<T>(Preset preset, IEnumerable<string> overrides, string option, string expected, string example, Func<string, T?> parse, Func<StageBudget, T, StageBudget> apply)
        where T : struct
    {
        foreach (var item in overrides)
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parse(parts[1]) is not T value)
                throw new ArgumentException($"{option} '{item}' is not STAGE=VALUE with {expected} (e.g. {example})");
            preset = parts[0] switch
            {
                "0a" => preset with { Vision0a = apply(preset.Vision0a, value) },
                "0b" => preset with { Text0b = apply(preset.Text0b, value) },
                "1" => preset with { Align1 = apply(preset.Align1, value) },
                "2" => preset with { Qa2 = apply(preset.Qa2, value) },
                _ => throw new ArgumentException($"{option}: unknown stage '{parts[0]}': use 0a, 0b, 1 or 2"),
            };
        }
        return preset;
    }
}

/// <summary>The preset options train, run and stage share: --taps, --seed, --text-format and the per-stage --steps, --schedule, --lr and --batch.</summary>
public sealed record PresetOverrides(string? Taps, long? Seed, string? TextFormat,
    IEnumerable<string> Steps, IEnumerable<string> Schedules, IEnumerable<string> LearningRates, IEnumerable<string> BatchSizes);
