namespace Pipeline.Eval.Reports;

/// <summary>A heading and its blocks (paragraphs, tables, figures) in order.</summary>
public sealed record ReportSection(string Heading, IReadOnlyList<ReportBlock> Blocks);
