using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Data;
using Spectre.Console;

namespace Pipeline.Cli.Verbs;

[Verb("data", HelpText = "Generate a 2DS split: images, scenes, questions, vocabulary (and captions and a text corpus for train/val).")]
public sealed class DataOptions
{
    [Option("split", Default = "test", HelpText = "train, val or test. test is the 2DS benchmark: 500 images, 3000 questions.")]
    public string Split { get; set; } = "test";

    [Option("out", Required = true, HelpText = "Output folder (created atomically).")]
    public string Out { get; set; } = "";

    [Option("images", HelpText = "Number of images (test: 500 by default, divisible by 5; train/val: 20000 by default).")]
    public int? Images { get; set; }

    [Option("seed", HelpText = "Random seed (each split has a fixed default).")]
    public ulong? Seed { get; set; }

    [Option("image-size", Default = 64, HelpText = "Image edge in pixels.")]
    public int ImageSize { get; set; } = 64;

    [Option("questions-per-category", HelpText = "Questions per category per image (train/val: 2 by default; test: 1).")]
    public int? QuestionsPerCategory { get; set; }

    [Option("threads", HelpText = "Worker threads (default: all cores).")]
    public int? Threads { get; set; }

    [Option("force", Default = false, HelpText = "Replace an existing, non-empty output folder.")]
    public bool Force { get; set; }

    public DatasetOptions ToDatasetOptions()
    {
        var split = DatasetOptions.ParseSplit(Split);
        bool test = split == Data.Split.Test;
        return new DatasetOptions(split, Images ?? (test ? DatasetOptions.TestImages : 20_000), Seed, ImageSize, QuestionsPerCategory ?? (test ? 1 : 2));
    }
}

public static class DataVerb
{
    public static int Run(DataOptions args, Terminal terminal)
    {
        var options = args.ToDatasetOptions();
        options.Validate();
        if (args.Threads is <= 0) throw new ArgumentException($"--threads must be positive (got {args.Threads})");
        var summary = terminal.Progress($"2DS {args.Split}", options.Images,
            progress => DatasetWriter.Write(options, args.Out, args.Force, progress, args.Threads));
        PrintSummary(summary, terminal);
        return 0;
    }

    public static void PrintSummary(DatasetSummary s, Terminal terminal)
    {
        var m = s.Manifest;
        double seconds = s.Elapsed.TotalSeconds;
        terminal.Info($"wrote {m.Split} split to {s.Directory}: {m.Images} images, {m.Questions} questions in {seconds:F2} s ({m.Images / Math.Max(seconds, 1e-9):F0} images/s)");
        var table = new Table().AddColumn("category").AddColumn(new TableColumn("questions").RightAligned());
        foreach (var (category, count) in m.Categories) table.AddRow(category, count.ToString());
        var objects = new Table().AddColumn("objects").AddColumn(new TableColumn("images").RightAligned());
        foreach (var (n, count) in m.ObjectCounts) objects.AddRow(n, count.ToString());
        AnsiConsole.Write(new Columns(table, objects).Collapse());
    }

    /// <summary>Generates one split unless an intact copy made with the same options is already there.</summary>
    public static void EnsureSplit(string dir, DatasetOptions options, Terminal terminal)
    {
        if (IsUpToDate(dir, options))
        {
            terminal.Info($"data/{Path.GetFileName(dir)}: up to date, skipped");
            return;
        }
        var summary = terminal.Progress($"data/{Path.GetFileName(dir)}", options.Images,
            progress => DatasetWriter.Write(options, dir, force: true, progress));
        PrintSummary(summary, terminal);
    }

    static bool IsUpToDate(string dir, DatasetOptions o)
    {
        if (!File.Exists(Path.Combine(dir, DatasetManifest.FileName))) return false;
        try
        {
            return Dataset.Load(dir).Manifest.Describes(o);
        }
        catch (InvalidDataException)
        {
            return false; // damaged: regenerate
        }
    }
}
