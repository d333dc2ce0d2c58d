namespace Pipeline.Core;

/// <summary>
/// The folders of one run, defined once: the data splits, the foundation models it started from,
/// the training stages with their checkpoints, the stage records, the exported artifacts, their
/// validation, the evaluation and the report; in a study over seeds, one such run per seed.
/// </summary>
public sealed record RunLayout(string Root)
{
    public const string DataFolder = "data", FoundationsFolder = "foundations", StagesFolder = "stages", StateFolder = "state",
        ArtifactsFolder = "artifacts", ValidationFolder = "validation", EvalFolder = "eval", ReportFolder = "report", SeedsFolder = "seeds";

    /// <summary>The default run folder of a preset, relative to the working folder.</summary>
    public static string DefaultRoot(string preset) => Path.Combine("artifacts", "runs", preset);

    public static RunLayout At(string root) => new(Path.GetFullPath(root));

    public string Data(string split) => Path.Combine(Root, DataFolder, split);

    public string Foundations => Path.Combine(Root, FoundationsFolder);

    public string Stages => Path.Combine(Root, StagesFolder);

    /// <summary>A training stage's folder, e.g. Stage("baseline", "2-qa").</summary>
    public string Stage(params string[] parts) => Path.Combine([Stages, .. parts]);

    public string State => Path.Combine(Root, StateFolder);

    public string Artifact(string model) => Path.Combine(Root, ArtifactsFolder, model);

    public string Validation(string model) => Path.Combine(Root, ValidationFolder, model + ".json");

    public string Eval(params string[] parts) => Path.Combine([Root, EvalFolder, .. parts]);

    public string Report => Path.Combine(Root, ReportFolder);

    /// <summary>In a study over seeds, seed N's own run (its stages, artifacts, evaluation and report), sharing this run's data.</summary>
    public string Seed(ulong seed) => Path.Combine(Root, SeedsFolder, $"seed-{seed}");

    /// <summary>A path relative to the run folder, as stage records list outputs.</summary>
    public static string Relative(string folder, params string[] parts) => Path.Combine([folder, .. parts]);

    /// <summary>
    /// The run a training checkpoint belongs to when it lies where runs keep them
    /// (ROOT/stages/MODEL/STAGE/checkpoint), else null: a checkpoint copied elsewhere stands alone.
    /// </summary>
    public static RunLayout? OfCheckpoint(string checkpointDir)
    {
        var stages = Directory.GetParent(Path.GetFullPath(checkpointDir))?.Parent?.Parent;
        return stages is { Name: StagesFolder, Parent: { } root } ? new RunLayout(root.FullName) : null;
    }
}
