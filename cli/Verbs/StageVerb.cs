using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Cli.Stages;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Verbs;

/// <summary>Options every stage-running verb shares (run, stage).</summary>
public abstract class StageOptionsBase
{
    [Option("preset", Default = "small", HelpText = "tiny, quick, small or full.")]
    public string Preset { get; set; } = "small";

    [Option("out", HelpText = "Run folder (default: artifacts/runs/<preset>).")]
    public string? Out { get; set; }

    [Option("variant", Default = "all", HelpText = "all, baseline, norm or norm-multilayer (comma-separated list allowed).")]
    public string Variant { get; set; } = "all";

    [Option("ep", Default = "auto", HelpText = "ONNX Runtime execution provider for validation and evaluation: auto, cpu, cuda.")]
    public string Ep { get; set; } = "auto";

    [Option("opset", Default = Pipeline.Export.ExportOpsets.Default, HelpText = "ONNX opset of the exported graphs: 17 or 23.")]
    public int Opset { get; set; } = Pipeline.Export.ExportOpsets.Default;

    [Option("device", Default = "cpu", HelpText = "TorchSharp device for training: cpu or cuda.")]
    public string Device { get; set; } = "cpu";

    [Option("compression", Separator = ',', HelpText = "Also train, export and evaluate each variant with its vision tokens pooled to k×k, e.g. 2,4 (0: none).")]
    public IEnumerable<int>? Compression { get; set; }

    [Option("taps", HelpText = TrainVerb.TapsHelp)]
    public string? Taps { get; set; }

    [Option("seed", HelpText = TrainVerb.SeedHelp)]
    public long? Seed { get; set; }

    [Option("text-format", HelpText = TrainVerb.TextFormatHelp)]
    public string? TextFormat { get; set; }

    [Option("schedule", Separator = ',', HelpText = TrainVerb.ScheduleHelp)]
    public IEnumerable<string> Schedules { get; set; } = [];

    [Option("batch", Separator = ',', HelpText = TrainVerb.BatchHelp)]
    public IEnumerable<string> BatchSizes { get; set; } = [];

    [Option("lr", Separator = ',', HelpText = TrainVerb.LearningRateHelp)]
    public IEnumerable<string> LearningRates { get; set; } = [];

    [Option("steps", Separator = ',', HelpText = TrainVerb.StepsHelp)]
    public IEnumerable<string> Steps { get; set; } = [];

    [Option("foundations", Default = "auto", HelpText = FoundationChoice.Help)]
    public string Foundations { get; set; } = "auto";

    /// <summary>Checks every option before any stage starts, so a typo costs nothing.</summary>
    public StageSettings Settings(Terminal terminal)
    {
        var preset = TrainVerb.WithOverrides(Train.Training.Preset.Parse(Preset),
            new PresetOverrides(Taps, Seed, TextFormat, Steps, Schedules, LearningRates, BatchSizes));
        string root = Path.GetFullPath(Out ?? RunLayout.DefaultRoot(preset.Name));
        if (!Pipeline.Export.ExportOpsets.Supported.Contains(Opset))
            throw new ArgumentException($"--opset {Opset} is not supported: use {string.Join(" or ", Pipeline.Export.ExportOpsets.Supported)}");
        string ep = Ep.Trim().ToLowerInvariant();
        if (ep is not ("auto" or "cpu" or "cuda")) throw new ArgumentException($"unknown --ep '{Ep}': use auto, cpu or cuda");
        Trainer.ResolveDevice(Device);
        string? foundations = FoundationChoice.Resolve(Foundations, preset.Name, PretrainOverrides());
        return new StageSettings(preset, root, ParseVariants(Variant), ep, Opset, Device.ToLowerInvariant(), terminal, CompressionGrids(preset), foundations);
    }

    /// <summary>The options given that change stages 0a or 0b, which shipped foundations replace.</summary>
    IEnumerable<string> PretrainOverrides()
    {
        if (TextFormat is not null) yield return "--text-format";
        foreach (var (option, values) in new[] { ("--steps", Steps), ("--schedule", Schedules), ("--lr", LearningRates), ("--batch", BatchSizes) })
            if (values.Any(v => v.TrimStart().StartsWith("0a", StringComparison.Ordinal) || v.TrimStart().StartsWith("0b", StringComparison.Ordinal)))
                yield return option + " 0a/0b";
    }

    /// <summary>The pooled grid sides to train: the option's, else none (the study retrains every variant per grid).</summary>
    IReadOnlyList<int> CompressionGrids(Train.Training.Preset preset)
    {
        var grids = (Compression ?? []).Where(k => k != 0).ToArray();
        foreach (int k in grids)
            if (k < 1 || k >= preset.Vision.GridSize)
                throw new ArgumentException($"--compression {k}: a pooled grid side must lie in [1, {preset.Vision.GridSize - 1}] for preset '{preset.Name}' (its grid is {preset.Vision.GridSize}×{preset.Vision.GridSize}); 0 turns the study off");
        return grids.Distinct().Order().ToArray();
    }

    public static IReadOnlyList<Variant> ParseVariants(string text) =>
        text.Trim().ToLowerInvariant() == "all"
            ? Enum.GetValues<Variant>()
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(VariantNames.Parse).Distinct().Order().ToArray();
}

[Verb("stage", HelpText = "Bring one stage of a run up to date (data, pretrain, train, export, validate, eval, report); a stage whose inputs did not change is skipped. What MSBuild's targets call.")]
public sealed class StageOptions : StageOptionsBase
{
    [Value(0, MetaName = "NAME", Required = true, HelpText = "data, pretrain, train, export, validate, eval or report.")]
    public string Name { get; set; } = "";
}

public static class StageVerb
{
    public static int Run(StageOptions args, Terminal terminal)
    {
        var stage = StageEngine.Parse(args.Name);
        var settings = args.Settings(terminal);
        using var hold = RunHold.Take(settings.RunDir, terminal);
        StageEngine.Run(stage, settings);
        return 0;
    }
}
