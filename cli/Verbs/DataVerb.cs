using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Data;
using Spectre.Console;
using Pipeline.Cli.Services;

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
        OptionChecks.Threads(args.Threads);
        var summary = terminal.Progress($"2DS {args.Split}", options.Images,
            progress => DatasetWriter.Write(options, args.Out, args.Force, progress, args.Threads));
        DataSplits.PrintSummary(summary, terminal);
        return 0;
    }
}
