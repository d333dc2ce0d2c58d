using System.Diagnostics;
using System.Text.Json;
using Pipeline.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>A stage's saved progress (state.json in its checkpoint).</summary>
/// <param name="Plateaued">Stopped before its last step because its validation accuracy stopped improving.</param>
public sealed record StageState(string Stage, int Step, int Steps, bool Done, double? LastLoss, double SamplesPerS, bool Plateaued = false)
{
    /// <summary>
    /// Finished, but short of a budget's steps: a run with that budget extends it. A stage stopped
    /// at its plateau stays stopped, unless it stopped before the budget's minimum steps, where that
    /// budget would not have let it stop.
    /// </summary>
    public bool ExtendsTo(StageBudget budget) => Done && Step < budget.Steps && (!Plateaued || !budget.MayStopAt(Step));
}

/// <summary>
/// What a stage trains and how: the loss of step s, and what to save beside the weights.
/// SamplesPerStep counts training examples per step for the throughput figure when a batch row
/// holds several (packed questions); the budget's batch size otherwise.
/// </summary>
public sealed record StageJob(
    string Name,
    string Dir,
    nn.Module Root,
    IReadOnlyList<Parameter> Trainable,
    StageBudget Budget,
    Func<int, Tensor> LossAt,
    int CheckpointEvery,
    Action<string>? WriteExtras = null,
    double? SamplesPerStep = null,
    Func<int, bool>? Plateaued = null);

/// <summary>
/// The training loop every stage shares: AdamW, warm-up + cosine, gradient clipping, a NaN guard,
/// metrics.jsonl, and atomic checkpoints (weights, optimizer, step) that a later run resumes from.
/// </summary>
public static class StageRunner
{
    public const string CheckpointFolder = "checkpoint", ModelFile = "model.dat", OptimizerFile = "optimizer.dat",
        StateFile = "state.json", MetricsFile = "metrics.jsonl";

    public static string CheckpointDir(string stageDir) => Path.Combine(stageDir, CheckpointFolder);

    public static StageState? ReadState(string stageDir)
    {
        string path = Path.Combine(CheckpointDir(stageDir), StateFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<StageState>(File.ReadAllText(path), Json.Compact) : null;
    }

    /// <summary>The stage's AdamW: the budget's peak learning rate, weight decay and β₂ (the default where it names none).</summary>
    public static AdamW NewOptimizer(IEnumerable<Parameter> trainable, StageBudget b) =>
        new(trainable, b.LearningRate, b.Beta2 ?? StageBudget.DefaultBeta2, b.WeightDecay);

    /// <summary>Trains to the end of the budget (or loads a finished stage, or extends one given more steps) and returns its final state.</summary>
    public static StageState Run(StageJob job, ITrainingObserver observer, int? stopAfter = null)
    {
        var b = job.Budget;
        var state = ReadState(job.Dir);
        string checkpoint = CheckpointDir(job.Dir);
        if (state is { Done: true } && !state.ExtendsTo(b))
        {
            ModuleWeights.LoadInPlace(job.Root, Path.Combine(checkpoint, ModelFile));
            observer.Info($"{job.Name}: finished earlier (step {state.Step}), loaded");
            return state;
        }
        // A finished stage given more steps goes on from its last checkpoint, optimizer state included:
        // the learning rate follows the new budget, which is what a Restarts schedule at the old end retraces.
        if (state?.ExtendsTo(b) == true) observer.Info($"{job.Name}: finished at step {state.Step}; extending to {b.Steps}");

        Freeze(job.Root, job.Trainable);
        using var optimizer = NewOptimizer(job.Trainable, b);
        int start = 0;
        if (state != null)
        {
            ModuleWeights.LoadInPlace(job.Root, Path.Combine(checkpoint, ModelFile));
            optimizer.load_state_dict(Path.Combine(checkpoint, OptimizerFile));
            start = state.Step;
            observer.Info($"{job.Name}: resuming at step {start}/{b.Steps}");
        }
        Directory.CreateDirectory(job.Dir);
        TruncateMetrics(Path.Combine(job.Dir, MetricsFile), start);
        observer.StageStarted(job.Name, b.Steps, start);

        int logEvery = Math.Max(1, b.Steps / 100);
        var clock = Stopwatch.StartNew();
        double lossSum = 0, lastLoss = state?.LastLoss ?? double.NaN, samplesPerS = 0;
        int logged = 0, end = Math.Min(b.Steps, stopAfter ?? b.Steps);
        job.Root.train();
        for (int step = start; step < end; step++)
        {
            using var scope = NewDisposeScope();
            double lr = LearningRateSchedule.At(step, b);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            optimizer.zero_grad();
            var loss = job.LossAt(step);
            double value = loss.item<float>();
            if (!double.IsFinite(value))
                throw new TrainingDivergedException(
                    $"{job.Name}: the loss became {value} at step {step}; the last good checkpoint ({state?.Step ?? 0} steps) is kept in {checkpoint}. Lower the learning rate and run again to resume");
            loss.backward();
            nn.utils.clip_grad_norm_(job.Trainable, b.ClipNorm);
            optimizer.step();

            lossSum += value;
            logged++;
            lastLoss = value;
            if ((step + 1) % logEvery == 0 || step + 1 == end)
            {
                samplesPerS = (step + 1 - start) * (job.SamplesPerStep ?? b.BatchSize) / clock.Elapsed.TotalSeconds;
                var m = new StepMetrics(step + 1, lossSum / logged, lr, samplesPerS, clock.Elapsed.TotalSeconds);
                File.AppendAllText(Path.Combine(job.Dir, MetricsFile), JsonSerializer.Serialize(m, Json.Compact) + "\n");
                observer.Step(job.Name, m, b.Steps);
                lossSum = 0;
                logged = 0;
            }
            bool last = step + 1 == b.Steps;
            if (last || (step + 1) % job.CheckpointEvery == 0 || step + 1 == end)
            {
                // The plateau check evaluates the model as it is now, before the checkpoint records it;
                // it runs before the minimum steps too, so that the validation curve has every checkpoint.
                bool plateau = !last && job.Plateaued?.Invoke(step + 1) == true && b.MayStopAt(step + 1);
                job.Root.train();
                state = new StageState(job.Name, step + 1, b.Steps, last || plateau, lastLoss, samplesPerS, plateau);
                Save(job, optimizer, state);
                if (plateau)
                {
                    observer.Info($"{job.Name}: validation accuracy has plateaued; stopped at step {step + 1} of at most {b.Steps}");
                    break;
                }
            }
        }
        job.Root.eval();
        observer.StageFinished(job.Name);
        return state!;
    }

    /// <summary>Only the stage's parameters get gradients: frozen parts cost no backward work.</summary>
    static void Freeze(nn.Module root, IReadOnlyList<Parameter> trainable)
    {
        var train = new HashSet<Parameter>(trainable, ReferenceEqualityComparer.Instance);
        foreach (var p in root.parameters()) p.requires_grad = train.Contains(p);
    }

    static void Save(StageJob job, OptimizerHelper optimizer, StageState state) =>
        AtomicDirectory.Write(CheckpointDir(job.Dir), force: true, tmp =>
        {
            job.Root.save(Path.Combine(tmp, ModelFile));
            optimizer.save_state_dict(Path.Combine(tmp, OptimizerFile));
            job.WriteExtras?.Invoke(tmp);
            File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, Json.Indented));
        });

    /// <summary>After a resume, drop the curve points logged past the checkpoint: they are redone.</summary>
    static void TruncateMetrics(string path, int step)
    {
        if (!File.Exists(path)) return;
        AtomicFile.WriteAllLines(path, ReadMetricsFile(path).Where(m => m.Step <= step).Select(m => JsonSerializer.Serialize(m, Json.Compact)));
    }

    public static IReadOnlyList<StepMetrics> ReadMetrics(string stageDir)
    {
        string path = Path.Combine(stageDir, MetricsFile);
        return File.Exists(path) ? ReadMetricsFile(path) : [];
    }

    /// <summary>
    /// The curve points of a metrics.jsonl. Lines are appended, so a kill can tear the last one:
    /// that one is dropped (its step is redone on resume); a damaged line before it is an error.
    /// </summary>
    static IReadOnlyList<StepMetrics> ReadMetricsFile(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var metrics = new List<StepMetrics>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            try
            {
                metrics.Add(JsonSerializer.Deserialize<StepMetrics>(lines[i], Json.Compact) ?? throw new JsonException("null"));
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                // the torn last line of an interrupted append
            }
            catch (JsonException)
            {
                throw new InvalidDataException($"{path}: line {i + 1} is not a metrics record; delete the stage folder to retrain it");
            }
        }
        return metrics;
    }
}
