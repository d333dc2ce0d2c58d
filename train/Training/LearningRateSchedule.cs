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

    /// <summary>
    /// Cosine restarted at the budget's <see cref="StageBudget.Restarts"/>: from each restart point on,
    /// the learning rate a stage resumed there with --steps set to the next point (the stage's end
    /// after the last) would have had, warm-up kept at the same share. That is what extending a
    /// cosine stage with --resume did by hand; with the points of such a run it retraces its curve
    /// in one command.
    /// </summary>
    Restarts,
}

/// <summary>The steps, ascending, at which a <see cref="LrSchedule.Restarts"/> schedule starts its next cosine ("2000/4000" as text).</summary>
public sealed record RestartPoints(IReadOnlyList<int> Steps)
{
    public bool Equals(RestartPoints? other) => other is not null && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => Steps.Aggregate(17, (hash, step) => unchecked(hash * 31 + step));

    public override string ToString() => string.Join('/', Steps);

    /// <summary>"2000/4000/6000": positive, strictly ascending steps; null if the text is not that.</summary>
    public static RestartPoints? Parse(string text)
    {
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        var steps = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, out int step) || step <= 0 || (steps.Count > 0 && step <= steps[^1])) return null;
            steps.Add(step);
        }
        return new RestartPoints(steps);
    }
}

/// <summary>Linear warm-up to the peak, then the budget's schedule down to a tenth of it.</summary>
public static class LearningRateSchedule
{
    /// <summary>The share of a WSD stage spent decaying.</summary>
    public const double WsdDecayShare = 0.2;

    public static double At(int step, StageBudget b)
    {
        if (b.Schedule == LrSchedule.Restarts && b.Restarts is { } restarts)
            return At(step, Segment(step, b, restarts));
        if (step < b.WarmupSteps) return b.LearningRate * (step + 1) / b.WarmupSteps;
        int decayStart = b.Schedule == LrSchedule.Wsd
            ? Math.Max(b.WarmupSteps, b.Steps - (int)Math.Round(WsdDecayShare * b.Steps))
            : b.WarmupSteps;
        if (step < decayStart) return b.LearningRate;
        double progress = (step - decayStart) / (double)Math.Max(1, b.Steps - decayStart);
        double floor = 0.1 * b.LearningRate;
        return floor + 0.5 * (b.LearningRate - floor) * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress)));
    }

    /// <summary>The cosine budget a restarted stage follows at a step: the one ending at the next restart point.</summary>
    static StageBudget Segment(int step, StageBudget b, RestartPoints restarts)
    {
        int end = restarts.Steps.Where(p => p > step && p < b.Steps).DefaultIfEmpty(b.Steps).First();
        return b.WithSteps(end) with { Schedule = LrSchedule.Cosine, Restarts = null };
    }
}
