namespace Pipeline.Data;

/// <summary>
/// One answered 2DS question: what the grader needs and nothing else, so that any runner (ORT,
/// TorchSharp, a file of predictions) can feed <see cref="AccuracyTable.Score"/>.
/// </summary>
/// <param name="Category">One of <see cref="Categories.All"/> ("color.abs", …).</param>
/// <param name="ObjectCount">Objects in the image (the meta-category, 2–6 in 2DS).</param>
/// <param name="Expected">The reference answer.</param>
/// <param name="Predicted">The decoded answer of the model.</param>
public sealed record ScoredQuestion(string Category, int ObjectCount, string Expected, string Predicted)
{
    /// <summary>
    /// Exact match after <see cref="Words.Normalize"/>, the normaliser the training-time
    /// evaluation uses, so that eval and train scores agree on the same predictions.
    /// </summary>
    public bool Correct => Scoring.IsCorrect(Predicted, Expected);
}
