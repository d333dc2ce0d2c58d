namespace Pipeline.Eval;

/// <summary>
/// One cell of Table 1: the unpermuted accuracy, the permuted accuracies over the seeds and the
/// change (permuted − unpermuted, as fractions; negative = permuting hurt), each with mean, std
/// (over seeds), min and max, so that a small drop can be told from seed noise.
/// </summary>
public sealed record PermutationDelta(double Unpermuted, Spread Permuted, Spread Delta);

