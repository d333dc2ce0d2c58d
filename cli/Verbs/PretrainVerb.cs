using Pipeline.Cli.Services;
using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Cli.Stages;
using Pipeline.Train.Foundations;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Verbs;

[Verb("pretrain", HelpText = "Train stages 0a and 0b from scratch and write them as foundation models (vision/, language/, each with a manifest) that runs start from.")]
public sealed class PretrainOptions : PresetOptions
{
    [Option("run", HelpText = "Run folder to train in (default: artifacts/runs/<preset>-pretrain); its data are made if missing.")]
    public string? Run { get; set; }

    [Option("out", HelpText = "Foundation folder to write (default: models/<preset>, the shipped one from the repository root).")]
    public string? Out { get; set; }

    [Option("force", Default = false, HelpText = "Replace an existing foundation folder.")]
    public bool Force { get; set; }

    [Option("resume", Default = false, HelpText = "Continue the run folder's 0a/0b checkpoints (over several sittings).")]
    public bool Resume { get; set; }

    [Option("from-checkpoints", Default = false, HelpText = "Write the run's current checkpoints without training; an unfinished 0b is marked so.")]
    public bool FromCheckpoints { get; set; }

    [Option("threads", HelpText = "TorchSharp threads (default: the preset's, 2).")]
    public int? Threads { get; set; }
}

public static class PretrainVerb
{
    /// <param name="commandLine">The arguments as given, recorded in the manifests.</param>
    public static int Run(PretrainOptions args, Terminal terminal, IReadOnlyList<string> commandLine)
    {
        var preset = args.ResolvePreset();
        OptionChecks.Threads(args.Threads);
        Trainer.ResolveDevice(args.Device);
        string runDir = Path.GetFullPath(args.Run ?? RunLayout.DefaultRoot(preset.Name + "-pretrain"));
        string outDir = Path.GetFullPath(args.Out ?? Path.Combine("models", preset.Name));
        // Checked before hours of training, not after.
        if (File.Exists(outDir)) throw new IOException($"--out {outDir} is a file; name a folder for the foundation models");
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any() && !args.Force)
            throw new IOException($"{outDir} already holds foundation models; pass --force to replace them, or choose another --out");
        var run = RunLayout.At(runDir);
        bool hasCheckpoints = Directory.Exists(run.Stages);
        if (args.FromCheckpoints && !hasCheckpoints)
            throw new ArgumentException($"--from-checkpoints: {runDir} has no 0a/0b checkpoints; train them first (pipeline pretrain --run {runDir})");
        if (hasCheckpoints && !args.Resume && !args.FromCheckpoints)
            throw new IOException($"{run.Stages} already holds checkpoints; pass --resume to continue them, or use another --run");

        using var hold = RunHold.Take(runDir, terminal);
        var settings = new StageSettings(preset, runDir, Enum.GetValues<Variant>(), "cpu", Pipeline.Export.ExportOpsets.Default, args.Device.ToLowerInvariant(), terminal, []);
        StageEngine.Run(StageEngine.Parse("data"), settings);
        var options = new TrainOptions(preset, runDir, Enum.GetValues<Variant>(), Device: args.Device.ToLowerInvariant(), Threads: args.Threads, Until: TrainUntil.TextPretraining);
        var summary = TrainingRuns.Train(options, terminal, args.FromCheckpoints ? 0 : null);
        var vocab = new WordVocab(VocabFile.Read(Path.Combine(run.Data("train"), Pipeline.Data.DatasetWriter.VocabFile)));
        string command = "pipeline " + string.Join(' ', commandLine);
        var set = FoundationBuilder.Write(outDir, options, summary, vocab, command, args.Force);
        var lm = set.Language.Manifest;
        terminal.Info($"foundation models written to {outDir}: encoder presence {set.Vision.Score("presence"):P1}, language model text {set.Language.Score("text_accuracy"):P1}" +
            (lm.Finished ? "" : $" (0b unfinished: step {lm.ProducedBy.Steps} of its recipe; resume with --resume, then write again with --force)"));
        return 0;
    }
}
