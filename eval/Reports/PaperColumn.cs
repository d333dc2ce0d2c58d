namespace Pipeline.Eval.Reports;

/// <summary>One column of the paper's numbers (preformatted; null = not available).</summary>
/// <param name="Label">Which of the paper's results, e.g. the variant ("baseline").</param>
public sealed record PaperColumn(string Label, IReadOnlyList<string?> Values)
{
    /// <summary>"Paper (LLaVA-1.5-7B): baseline" — always says whose number it is.</summary>
    public string Header => string.IsNullOrEmpty(Label) ? PaperNumbers.ColumnLabel : $"{PaperNumbers.ColumnLabel}: {Label}";
}
