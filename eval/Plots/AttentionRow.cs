namespace Pipeline.Eval.Plots;

/// <summary>One row of Fig. 7: a question, its image and one panel per variant.</summary>
public sealed record AttentionRow(string Question, string Expected, RgbImage Image, IReadOnlyList<AttentionPanel> Panels);
