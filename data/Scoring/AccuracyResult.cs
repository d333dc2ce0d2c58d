namespace Pipeline.Data;

/// <summary>
/// 2DS scores of one model in the paper's layouts: overall and per category (Table 2), per object
/// count (Fig. 5) and per category × object count (Fig. 6).
/// </summary>
/// <param name="Overall">Every question.</param>
/// <param name="PerCategory">The six 2DS categories in <c>Categories.All</c> order, always all six
/// (a category without questions has Total 0 and a null accuracy).</param>
/// <param name="PerObjectCount">Object counts that occur, ascending.</param>
/// <param name="PerCategoryAndObjectCount">Category → object count → cell, same orders.</param>
public sealed record AccuracyResult(
    AccuracyCell Overall,
    IReadOnlyDictionary<string, AccuracyCell> PerCategory,
    IReadOnlyDictionary<int, AccuracyCell> PerObjectCount,
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, AccuracyCell>> PerCategoryAndObjectCount)
{
    /// <summary>Accuracy over every question of the relative (or the absolute) categories together; 0 without any.</summary>
    public double Pooled(bool relative)
    {
        var cells = PerCategory.Where(c => Categories.IsRelative(c.Key) == relative).Select(c => c.Value).ToArray();
        int total = cells.Sum(c => c.Total);
        return total == 0 ? 0 : cells.Sum(c => c.Correct) / (double)total;
    }
}
