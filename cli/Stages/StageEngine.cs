using Pipeline.Runtime;

namespace Pipeline.Cli.Stages;

/// <summary>
/// Runs a stage unless its record shows it already ran with the same inputs and its outputs are
/// intact. Inputs are the stage's parameters plus the hash of the upstream stage's record, so a
/// change anywhere re-runs exactly the stages downstream of it whose inputs' content changed.
/// </summary>
public static class StageEngine
{
    public static readonly PipelineStage[] All =
        [new DataStage(), new PretrainStage(), new TrainStage(), new ExportStage(), new ValidateStage(), new EvalStage(), new ReportStage()];

    public static IReadOnlyList<string> Names => All.Select(s => s.Name).ToArray();

    public static PipelineStage Parse(string name) =>
        All.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"unknown stage '{name}': use {string.Join(", ", Names)}");

    /// <summary>Brings one stage up to date; true when it had to run.</summary>
    public static bool Run(PipelineStage stage, StageSettings s)
    {
        var inputs = Inputs(stage, s);
        string recordPath = StageRecord.PathOf(s.RunDir, stage.Name), pendingPath = StageRecord.PendingPathOf(s.RunDir, stage.Name);
        var record = StageRecord.Read(recordPath);
        if (record is not null && record.SameInputs(inputs) && OutputsIntact(record, s.RunDir))
        {
            s.Terminal.Info($"{stage.Name}: up to date");
            return false;
        }
        var pending = StageRecord.Read(pendingPath);
        var earlier = record ?? pending;
        bool resumable = earlier is not null && (earlier.SameInputs(inputs) || stage.KeepsOutputs(earlier.Inputs, inputs));
        bool fresh = !resumable && earlier is not null;
        if (File.Exists(recordPath)) File.Delete(recordPath);
        new StageRecord(stage.Name, inputs, []).Write(pendingPath);
        s.Terminal.Info($"{stage.Name}: running{(fresh ? " (inputs changed: starting over)" : resumable ? " (resuming)" : "")}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        stage.Execute(s, fresh);
        var outputs = stage.Outputs(s).Select(p => Output(s.RunDir, p)).ToArray();
        new StageRecord(stage.Name, inputs, outputs).Write(recordPath);
        File.Delete(pendingPath);
        s.Terminal.Info($"{stage.Name}: done in {clock.Elapsed.TotalSeconds:F1} s");
        return true;
    }

    static SortedDictionary<string, string> Inputs(PipelineStage stage, StageSettings s)
    {
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in stage.Parameters(s)) inputs[key] = value;
        if (stage.Upstream is string up)
        {
            string path = StageRecord.PathOf(s.RunDir, up);
            if (!File.Exists(path))
                throw new InvalidDataException($"stage '{stage.Name}' needs stage '{up}' first: run 'pipeline stage {up} --run {s.RunDir} --preset {s.Preset.Name}' or 'pipeline run'");
            inputs[$"record:{up}"] = Pipeline.Core.Sha256.OfFile(path);
        }
        return inputs;
    }

    static StageOutput Output(string runDir, string relative)
    {
        string full = Path.Combine(runDir, relative);
        if (!File.Exists(full)) throw new InvalidDataException($"stage output {full} is missing after the stage ran");
        return new StageOutput(relative.Replace('\\', '/'), Pipeline.Core.Sha256.OfFile(full));
    }

    static bool OutputsIntact(StageRecord record, string runDir) =>
        record.Outputs.All(o => File.Exists(Path.Combine(runDir, o.Path)) && Pipeline.Core.Sha256.OfFile(Path.Combine(runDir, o.Path)) == o.Sha256);
}
