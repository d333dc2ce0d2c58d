namespace Pipeline.Eval.Plots;

/// <summary>One model's accuracy at one compression level: k×k vision tokens after pooling.</summary>
/// <param name="Accuracy">On 2DS.</param>
/// <param name="SemanticAccuracy">On the semantic control; null where it was not measured.</param>
public sealed record CompressionPoint(string Variant, int GridSide, double Accuracy, double? SemanticAccuracy = null);
