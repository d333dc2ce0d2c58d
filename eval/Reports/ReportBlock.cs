namespace Pipeline.Eval.Reports;

/// <summary>One element of a section.</summary>
public abstract record ReportBlock;
