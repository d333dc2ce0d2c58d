using Pipeline.Cli.Console;
using Pipeline.Data;
using Spectre.Console;

namespace Pipeline.Cli.Services;

/// <summary>Generating the 2DS splits of a run, and their summary on the console.</summary>
public static class DataSplits
{
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
