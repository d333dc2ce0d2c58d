namespace Pipeline.Data;

/// <summary>
/// Grades answered 2DS questions: exact match after normalisation with greedy decoding (the paper
/// used a GPT-4o-mini judge with sampling; we stay deterministic, as the design says).
/// </summary>
public static class AccuracyTable
{
    /// <summary>Scores <paramref name="questions"/>; an unknown category is an error, not a new column.</summary>
    /// <param name="categories">The columns, in order: <see cref="Categories.All"/> (2DS) unless given (the semantic control's).</param>
    /// <exception cref="ArgumentException">A category outside <paramref name="categories"/> or an object count below 1.</exception>
    public static AccuracyResult Score(IEnumerable<ScoredQuestion> questions, IReadOnlyList<string>? categories = null)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var columns = categories ?? Categories.All;
        var overall = AccuracyCell.Empty;
        var perCategory = columns.ToDictionary(c => c, _ => AccuracyCell.Empty, StringComparer.Ordinal);
        var perCount = new SortedDictionary<int, AccuracyCell>();
        var perBoth = columns.ToDictionary(c => c, _ => new SortedDictionary<int, AccuracyCell>(), StringComparer.Ordinal);
        foreach (var q in questions)
        {
            if (!perCategory.TryGetValue(q.Category, out var cell))
                throw new ArgumentException($"Unknown 2DS category '{q.Category}'; expected one of {string.Join(", ", columns)}.", nameof(questions));
            if (q.ObjectCount < 1)
                throw new ArgumentException($"Object count {q.ObjectCount} of a '{q.Category}' question is not positive.", nameof(questions));
            bool correct = q.Correct;
            overall = overall.Add(correct);
            perCategory[q.Category] = cell.Add(correct);
            perCount[q.ObjectCount] = perCount.GetValueOrDefault(q.ObjectCount, AccuracyCell.Empty).Add(correct);
            var row = perBoth[q.Category];
            row[q.ObjectCount] = row.GetValueOrDefault(q.ObjectCount, AccuracyCell.Empty).Add(correct);
        }
        return new AccuracyResult(
            overall,
            Ordered(perCategory, columns),
            perCount,
            columns.ToDictionary(c => c, c => (IReadOnlyDictionary<int, AccuracyCell>)perBoth[c], StringComparer.Ordinal));
    }

    /// <summary>Rebuilt in column order (a fresh Dictionary without removals enumerates in insertion order).</summary>
    static IReadOnlyDictionary<string, AccuracyCell> Ordered(Dictionary<string, AccuracyCell> cells, IReadOnlyList<string> columns) =>
        columns.ToDictionary(c => c, c => cells[c], StringComparer.Ordinal);
}
