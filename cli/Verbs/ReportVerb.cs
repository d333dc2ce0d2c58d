using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Study.Reports;
using Pipeline.Cli.Stages;

namespace Pipeline.Cli.Verbs;

[Verb("report", HelpText = "Write a run's study report (report.md, self-contained report.html, metrics.json) from its evaluations.")]
public sealed class ReportOptions
{
    [Option("run", Required = true, HelpText = "Run folder holding eval/VARIANT (from 'pipeline run' or 'pipeline stage eval').")]
    public string Run { get; set; } = "";

    [Option("preset", Default = "small", HelpText = "The run's preset (named in the report).")]
    public string Preset { get; set; } = "small";

    [Option("variant", Default = "all", HelpText = "Variants to report (comma-separated list allowed).")]
    public string Variant { get; set; } = "all";

    [Option("out", HelpText = "Report folder (default: RUN/report).")]
    public string? Out { get; set; }
}

public static class ReportVerb
{
    public static int Run(ReportOptions args, Terminal terminal)
    {
        string run = Path.GetFullPath(args.Run);
        if (!Directory.Exists(run)) throw new DirectoryNotFoundException($"run folder {run} does not exist");
        var preset = Pipeline.Train.Training.Preset.Parse(args.Preset);
        var inputs = StudyReportInputs.Read(run, preset.Name, StageOptionsBase.ParseVariants(args.Variant));
        string path = StudyReport.Write(inputs, Path.GetFullPath(args.Out ?? RunLayout.At(run).Report));
        terminal.Info($"report: {path} (and {StudyReport.HtmlFile}, {StudyReport.MetricsFile})");
        return 0;
    }
}
