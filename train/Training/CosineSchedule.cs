namespace Pipeline.Train.Training;

/// <summary>Linear warm-up to the peak, then cosine decay to a tenth of it.</summary>
public static class CosineSchedule
{
    public static double At(int step, StageBudget b)
    {
        if (step < b.WarmupSteps) return b.LearningRate * (step + 1) / b.WarmupSteps;
        double progress = (step - b.WarmupSteps) / (double)Math.Max(1, b.Steps - b.WarmupSteps);
        double floor = 0.1 * b.LearningRate;
        return floor + 0.5 * (b.LearningRate - floor) * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress)));
    }
}
