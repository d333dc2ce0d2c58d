using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Cli.Stages;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Verbs;

/// <summary>Options every stage-running verb shares (run, stage).</summary>
public abstract class StageOptionsBase : ModelOptions
{
    [Option("run", HelpText = "Run folder (default: artifacts/runs/<preset>).")]
    public string? Run { get; set; }

    // The run folder's earlier name, kept so that existing scripts and MSBuild imports still work.
    [Option("out", Hidden = true)]
    public string? Out { get; set; }

    [Option("ep", Default = "auto", HelpText = "ONNX Runtime execution provider for validation and evaluation: auto, cpu, cuda.")]
    public string Ep { get; set; } = "auto";

    [Option("opset", Default = Pipeline.Export.ExportOpsets.Default, HelpText = "ONNX opset of the exported graphs: 17 or 23.")]
    public int Opset { get; set; } = Pipeline.Export.ExportOpsets.Default;

    [Option("compression", Separator = ',', HelpText = "Also train, export and evaluate each variant with its vision tokens pooled to k×k, e.g. 2,4 (0: none).")]
    public IEnumerable<int>? Compression { get; set; }

    [Option("foundations", Default = "auto", HelpText = FoundationChoice.Help)]
    public string Foundations { get; set; } = "auto";

    [Option("norm-rule", Default = "match", HelpText = TrainVerb.NormRuleHelp)]
    public string NormRule { get; set; } = "match";

    /// <summary>Checks every option before any stage starts, so a typo costs nothing.</summary>
    public StageSettings Settings(Terminal terminal)
    {
        var preset = ResolvePreset();
        if (Run is not null && Out is not null && Path.GetFullPath(Run) != Path.GetFullPath(Out))
            throw new ArgumentException($"--run {Run} and --out {Out} name two run folders; give one (--run)");
        string root = Path.GetFullPath(Run ?? Out ?? RunLayout.DefaultRoot(preset.Name));
        if (!Pipeline.Export.ExportOpsets.Supported.Contains(Opset))
            throw new ArgumentException($"--opset {Opset} is not supported: use {string.Join(" or ", Pipeline.Export.ExportOpsets.Supported)}");
        string ep = Ep.Trim().ToLowerInvariant();
        if (ep is not ("auto" or "cpu" or "cuda")) throw new ArgumentException($"unknown --ep '{Ep}': use auto, cpu or cuda");
        Trainer.ResolveDevice(Device);
        string? foundations = FoundationChoice.Resolve(Foundations, preset.Name, PretrainOverrides());
        return new StageSettings(preset, root, ParseVariants(Variant), ep, Opset, Device.ToLowerInvariant(), terminal, CompressionGrids(preset), foundations, TrainVerb.ParseNormRule(NormRule));
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
