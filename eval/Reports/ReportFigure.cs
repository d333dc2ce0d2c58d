namespace Pipeline.Eval.Reports;

/// <summary>A PNG (or other image) on disk and its caption; Markdown links it, HTML embeds it.</summary>
public sealed record ReportFigure(string ImagePath, string Caption) : ReportBlock;
