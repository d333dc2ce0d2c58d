namespace Pipeline.Data;

/// <summary>
/// One point of stage 2's validation curve (a line of val_curve.jsonl): 2DS accuracy overall and on
/// the relative questions. Training writes it; the study over seeds reads it.
/// </summary>
public sealed record Stage2Point(int Step, double Accuracy, double Relative);
