using Pipeline.Study.Reports;
using Pipeline.Train.Model;

namespace Pipeline.Cli.Stages;

/// <summary>report/report.md, report.html and metrics.json from the run's evaluations.</summary>
public sealed class ReportStage : PipelineStage
{
    public override string Name => "report";

    public override string? Upstream => "eval";

    public override IEnumerable<(string, string)> Parameters(StageSettings s) => [("variants", s.VariantNames)];

    public override void Execute(StageSettings s, bool fresh)
    {
        string path = StudyReport.Write(StudyReportInputs.Read(s.RunDir, s.Preset.Name, s.Variants, s.Compression), s.ReportDir);
        s.Terminal.Info($"report: {path} (and {StudyReport.HtmlFile}, {StudyReport.MetricsFile})");
    }

    public override IEnumerable<string> Outputs(StageSettings s) =>
        [RunLayout.Relative(RunLayout.ReportFolder, StudyReport.MarkdownFile), RunLayout.Relative(RunLayout.ReportFolder, StudyReport.HtmlFile), RunLayout.Relative(RunLayout.ReportFolder, StudyReport.MetricsFile)];
}
