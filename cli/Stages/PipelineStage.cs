namespace Pipeline.Cli.Stages;

/// <summary>
/// One stage of the pipeline: the parameters it depends on, the stage whose outputs it reads, how
/// to run it and which files it produces. The engine decides whether it must run.
/// </summary>
public abstract class PipelineStage
{
    public abstract string Name { get; }

    /// <summary>The stage whose record this one reads, or null for the first.</summary>
    public abstract string? Upstream { get; }

    /// <summary>The parameters this stage depends on (changing one re-runs it and what follows).</summary>
    public abstract IEnumerable<(string Key, string Value)> Parameters(StageSettings s);

    /// <summary>Does the work. <paramref name="fresh"/>: earlier outputs were made with other inputs and must not be resumed.</summary>
    public abstract void Execute(StageSettings s, bool fresh);

    /// <summary>
    /// Whether outputs made with <paramref name="previous"/> inputs stay valid under <paramref name="current"/> ones
    /// and can be resumed rather than cleared (e.g. training more models leaves the trained ones as they are).
    /// </summary>
    public virtual bool KeepsOutputs(IReadOnlyDictionary<string, string> previous, IReadOnlyDictionary<string, string> current) => false;

    /// <summary>The files whose hashes the record keeps, relative to the run folder.</summary>
    public abstract IEnumerable<string> Outputs(StageSettings s);

    /// <summary>Deletes folders of an earlier run of this stage so that nothing stale is resumed.</summary>
    protected static void Clear(params string[] dirs)
    {
        foreach (var dir in dirs)
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
