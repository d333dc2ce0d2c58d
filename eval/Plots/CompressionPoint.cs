namespace Pipeline.Eval.Plots;

/// <summary>One model's accuracy at one compression level: k×k vision tokens after pooling.</summary>
public sealed record CompressionPoint(string Variant, int GridSide, double Accuracy);
