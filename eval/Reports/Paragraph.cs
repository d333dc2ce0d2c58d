namespace Pipeline.Eval.Reports;

/// <summary>
/// Markdown-ish text: written verbatim to Markdown; in HTML escaped, with <c>`code`</c> and
/// <c>**bold**</c> kept and blank lines starting new paragraphs.
/// </summary>
public sealed record Paragraph(string Text) : ReportBlock;
