namespace Pipeline.Eval.Reports;

/// <summary>
/// A table of preformatted cells. The paper's numbers go in <see cref="PaperColumns"/>, never in
/// <see cref="Rows"/>: writers label them as the paper's LLaVA-1.5-7B results and print a null
/// as "not available", so ours and theirs cannot be confused and nothing missing looks like a 0.
/// </summary>
/// <param name="Caption">What the table shows, including units.</param>
/// <param name="Header">Our columns' headers.</param>
/// <param name="Rows">Our cells, one list per row, each as long as <paramref name="Header"/>.</param>
/// <param name="PaperColumns">Optional columns of the paper's numbers, appended after ours.</param>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<PaperColumn>? PaperColumns = null) : ReportBlock
{
    /// <summary>Header and rows with the paper's columns appended; checks that every row fits.</summary>
    public (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) Layout()
    {
        var paper = PaperColumns ?? [];
        foreach (var row in Rows)
            if (row.Count != Header.Count)
                throw new InvalidOperationException($"Table '{Caption}': a row has {row.Count} cells for {Header.Count} columns.");
        foreach (var column in paper)
            if (column.Values.Count != Rows.Count)
                throw new InvalidOperationException($"Table '{Caption}': paper column '{column.Label}' has {column.Values.Count} values for {Rows.Count} rows.");
        var header = Header.Concat(paper.Select(c => c.Header)).ToArray();
        var rows = Rows.Select((row, r) => (IReadOnlyList<string>)row.Concat(paper.Select(c => c.Values[r] ?? PaperNumbers.NotAvailable)).ToArray()).ToArray();
        return (header, rows);
    }
}

