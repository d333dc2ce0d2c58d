namespace Pipeline.Data;

/// <summary>
/// Correct answers out of a total. Counts travel with every accuracy so that a reader can judge how
/// much a percentage is worth (a cell of 20 questions moves in steps of 5 points).
/// </summary>
public sealed record AccuracyCell(int Correct, int Total)
{
    /// <summary>Correct / Total, or null when there were no questions (never a fake 0 or NaN).</summary>
    public double? Accuracy => Total == 0 ? null : (double)Correct / Total;

    public static readonly AccuracyCell Empty = new(0, 0);

    public AccuracyCell Add(bool correct) => new(Correct + (correct ? 1 : 0), Total + 1);
}
