namespace Pipeline.Train.Training;

/// <summary>How a stage's learning rate moves after its linear warm-up.</summary>
public enum LrSchedule
{
    /// <summary>Cosine decay from the peak to a tenth of it over the whole stage.</summary>
    Cosine,

    /// <summary>
    /// Warm-up, stable, decay: the peak held until the last fifth of the stage, then the same cosine
    /// down to a tenth. A stage extended with --resume and more steps follows the same curve as one
    /// run to the new budget from the start, as long as its checkpoint lies before the decay and
    /// past the new budget's warm-up (--steps scales the warm-up with the steps).
    /// </summary>
    Wsd,
}

/// <summary>Linear warm-up to the peak, then the budget's schedule down to a tenth of it.</summary>
public static class LearningRateSchedule
{
    /// <summary>The share of a WSD stage spent decaying.</summary>
    public const double WsdDecayShare = 0.2;

    public static double At(int step, StageBudget b)
    {
        if (step < b.WarmupSteps) return b.LearningRate * (step + 1) / b.WarmupSteps;
        int decayStart = b.Schedule == LrSchedule.Wsd
            ? Math.Max(b.WarmupSteps, b.Steps - (int)Math.Round(WsdDecayShare * b.Steps))
            : b.WarmupSteps;
        if (step < decayStart) return b.LearningRate;
        double progress = (step - decayStart) / (double)Math.Max(1, b.Steps - decayStart);
        double floor = 0.1 * b.LearningRate;
        return floor + 0.5 * (b.LearningRate - floor) * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress)));
    }
}
