namespace Pipeline.Cli.Verbs;

/// <summary>Bounds on the numeric options several verbs share, checked before any work.</summary>
public static class OptionChecks
{
    /// <summary>More threads than this only queue on the cores (and ONNX Runtime would try to start them all).</summary>
    public const int MaxThreads = 256;

    /// <summary>A --threads value (null: the default) in [1, <see cref="MaxThreads"/>].</summary>
    public static void Threads(int? threads)
    {
        if (threads is <= 0) throw new ArgumentException($"--threads must be positive (got {threads})");
        if (threads > MaxThreads)
            throw new ArgumentException($"--threads {threads} is more than {MaxThreads}: use at most {MaxThreads} (this machine has {Environment.ProcessorCount} cores)");
    }
}
