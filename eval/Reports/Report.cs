namespace Pipeline.Eval.Reports;

/// <summary>
/// A results report as data: written to Markdown for the repository and to one self-contained HTML
/// file for people, from the same model so the two never disagree.
/// </summary>
/// <param name="Title">The report's heading.</param>
/// <param name="Environment">Where the numbers were measured: timings and EP-dependent results mean nothing without it.</param>
/// <param name="Sections">In reading order.</param>
/// <param name="Generated">When the run finished; null leaves it out (tests, byte-stable reports).</param>
public sealed record Report(string Title, ReportEnvironment Environment, IReadOnlyList<ReportSection> Sections, DateTimeOffset? Generated = null);

/// <summary>A heading and its blocks (paragraphs, tables, figures) in order.</summary>
public sealed record ReportSection(string Heading, IReadOnlyList<ReportBlock> Blocks);

/// <summary>One element of a section.</summary>
public abstract record ReportBlock;

/// <summary>
/// Markdown-ish text: written verbatim to Markdown; in HTML escaped, with <c>`code`</c> and
/// <c>**bold**</c> kept and blank lines starting new paragraphs.
/// </summary>
public sealed record Paragraph(string Text) : ReportBlock;

/// <summary>A PNG (or other image) on disk and its caption; Markdown links it, HTML embeds it.</summary>
public sealed record ReportFigure(string ImagePath, string Caption) : ReportBlock;
