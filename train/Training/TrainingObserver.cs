namespace Pipeline.Train.Training;

/// <summary>One logged point of a stage's learning curve.</summary>
public sealed record StepMetrics(int Step, double Loss, double Lr, double SamplesPerS, double ElapsedS);

/// <summary>Where training reports progress: a terminal display, a log, or nothing (tests).</summary>
public interface ITrainingObserver
{
    void StageStarted(string stage, int steps, int fromStep);
    void Step(string stage, StepMetrics metrics, int steps);
    void StageFinished(string stage);
    void Info(string line);
}

public sealed class SilentObserver : ITrainingObserver
{
    public void StageStarted(string stage, int steps, int fromStep) { }
    public void Step(string stage, StepMetrics metrics, int steps) { }
    public void StageFinished(string stage) { }
    public void Info(string line) { }
}

/// <summary>A loss that turned NaN or infinite: the stage stops, its last good checkpoint stays.</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);
