namespace Pipeline.Eval.Plots;

/// <summary>One variant's answer to one question: its attention over the image grid and how it did.</summary>
/// <param name="Weights">g×g weights, row-major (top row first), e.g. from <c>AttentionMaps.ImageWeights</c>.</param>
/// <param name="Grid">g.</param>
/// <param name="Entropy">Normalised attention entropy of this answer (Table 4's quantity).</param>
/// <param name="Correct">Whether the answer was graded right.</param>
public sealed record AttentionPanel(string Variant, IReadOnlyList<float> Weights, int Grid, double Entropy, bool Correct);
