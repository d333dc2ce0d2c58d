using Pipeline.Train.Training;
using Spectre.Console;

namespace Pipeline.Cli.Console;

/// <summary>
/// Training progress: a Spectre bar per stage (stage, step, loss, ETA) on a terminal; plain
/// lines about every 5% of a stage when output is redirected (MSBuild Exec, CI logs).
/// </summary>
public sealed class TrainingDisplay(Terminal terminal) : ITrainingObserver
{
    ProgressContext? _context;
    readonly Dictionary<string, ProgressTask> _tasks = [];
    readonly Dictionary<string, int> _lastTwentieth = [];
    readonly Dictionary<string, int> _fromStep = [];

    /// <summary>Runs <paramref name="work"/> under a live display when the terminal allows one.</summary>
    public T Run<T>(Func<T> work)
    {
        if (!terminal.Interactive) return work();
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                _context = ctx;
                result = work();
            });
        _context = null;
        return result;
    }

    public void StageStarted(string stage, int steps, int fromStep)
    {
        _fromStep[stage] = fromStep;
        if (_context is null)
        {
            terminal.Info($"{stage}: {(fromStep > 0 ? $"resuming at step {fromStep}" : "starting")}, {steps} steps");
            return;
        }
        var task = _context.AddTask(Markup.Escape(stage), maxValue: steps);
        task.Value = fromStep;
        _tasks[stage] = task;
    }

    public void Step(string stage, StepMetrics m, int steps)
    {
        if (_tasks.TryGetValue(stage, out var task))
        {
            task.Value = m.Step;
            task.Description = Markup.Escape($"{stage} loss {m.Loss:F3}");
            return;
        }
        int twentieth = m.Step * 20 / Math.Max(1, steps);
        if (_lastTwentieth.TryGetValue(stage, out var last) && twentieth <= last && m.Step != steps) return;
        _lastTwentieth[stage] = twentieth;
        var eta = Eta(m.Step, steps, _fromStep.GetValueOrDefault(stage), m.ElapsedS);
        terminal.Info($"{stage}: step {m.Step}/{steps} loss {m.Loss:F4} lr {m.Lr:0.0e+0} {m.SamplesPerS:F0} samples/s ETA {eta:hh\\:mm\\:ss}");
    }

    /// <summary>Time left at the pace of this session: a resumed stage's clock starts at <paramref name="fromStep"/>, not at 0.</summary>
    public static TimeSpan Eta(int step, int steps, int fromStep, double elapsedS) =>
        step <= fromStep ? TimeSpan.Zero : TimeSpan.FromSeconds((steps - step) * elapsedS / (step - fromStep));

    public void StageFinished(string stage)
    {
        if (_tasks.TryGetValue(stage, out var task)) task.Value = task.MaxValue;
    }

    public void Info(string line) => terminal.Info(line);
}
