using CommandLine;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Verbs;

/// <summary>The options that shape a preset, declared once for every verb that trains: run, stage, train and pretrain.</summary>
public abstract class PresetOptions
{
    [Option("preset", Default = "small", HelpText = "tiny, quick, small or full.")]
    public string Preset { get; set; } = "small";

    [Option("device", Default = "cpu", HelpText = "TorchSharp device for training: cpu or cuda.")]
    public string Device { get; set; } = "cpu";

    [Option("seed", HelpText = TrainVerb.SeedHelp)]
    public long? Seed { get; set; }

    [Option("text-format", HelpText = TrainVerb.TextFormatHelp)]
    public string? TextFormat { get; set; }

    [Option("steps", Separator = ',', HelpText = TrainVerb.StepsHelp)]
    public IEnumerable<string> Steps { get; set; } = [];

    [Option("schedule", Separator = ',', HelpText = TrainVerb.ScheduleHelp)]
    public IEnumerable<string> Schedules { get; set; } = [];

    [Option("batch", Separator = ',', HelpText = TrainVerb.BatchHelp)]
    public IEnumerable<string> BatchSizes { get; set; } = [];

    [Option("lr", Separator = ',', HelpText = TrainVerb.LearningRateHelp)]
    public IEnumerable<string> LearningRates { get; set; } = [];

    /// <summary>The multilayer taps, where the verb has them (null keeps the preset's).</summary>
    protected virtual string? TapsChoice => null;

    /// <summary>The named preset with every override applied; a bad value fails in one line before any work.</summary>
    public Preset ResolvePreset() => TrainVerb.WithOverrides(Train.Training.Preset.Parse(Preset),
        new PresetOverrides(TapsChoice, Seed, TextFormat, Steps, Schedules, LearningRates, BatchSizes));

    /// <summary>The options given that change stages 0a or 0b, which foundation models replace.</summary>
    public IEnumerable<string> PretrainOverrides()
    {
        if (TextFormat is not null) yield return "--text-format";
        foreach (var (option, values) in new[] { ("--steps", Steps), ("--schedule", Schedules), ("--lr", LearningRates), ("--batch", BatchSizes) })
            if (values.Any(v => v.TrimStart().StartsWith("0a", StringComparison.Ordinal) || v.TrimStart().StartsWith("0b", StringComparison.Ordinal)))
                yield return option + " 0a/0b";
    }
}

/// <summary>The preset options plus which variants to train and how the multilayer adapter taps: run, stage and train.</summary>
public abstract class ModelOptions : PresetOptions
{
    [Option("variant", Default = "all", HelpText = "all, baseline, norm or norm-multilayer (comma-separated list allowed).")]
    public string Variant { get; set; } = "all";

    [Option("taps", HelpText = TrainVerb.TapsHelp)]
    public string? Taps { get; set; }

    protected override string? TapsChoice => Taps;
}
