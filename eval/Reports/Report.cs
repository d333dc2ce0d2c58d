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

