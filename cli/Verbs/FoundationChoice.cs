using Pipeline.Train.Foundations;

namespace Pipeline.Cli.Verbs;

/// <summary>--foundations: which vision encoder and language model a run starts from.</summary>
public static class FoundationChoice
{
    public const string Help = "Stages 0a/0b: auto (the preset's shipped models, else trained), shipped, scratch or a 'pipeline pretrain' folder.";

    /// <summary>The foundation folder to use, or null to train 0a and 0b.</summary>
    /// <param name="pretrainOverrides">Options given that change 0a or 0b: with them, auto trains and shipped is refused.</param>
    public static string? Resolve(string choice, string preset, IEnumerable<string> pretrainOverrides)
    {
        var overrides = pretrainOverrides.ToArray();
        switch (choice.Trim().ToLowerInvariant())
        {
            case "scratch":
                return null;
            case "auto":
                return overrides.Length > 0 ? null : FoundationSet.Shipped(preset);
            case "shipped":
                string shipped = FoundationSet.Shipped(preset)
                    ?? throw new ArgumentException($"--foundations shipped: preset '{preset}' has no shipped foundation models (models/{preset}); use --foundations scratch");
                return Refuse(overrides, shipped);
            default:
                string dir = Path.GetFullPath(choice);
                if (!Directory.Exists(dir))
                    throw new ArgumentException($"--foundations {choice}: no such folder; use auto, shipped, scratch or a folder written by 'pipeline pretrain'");
                return Refuse(overrides, dir);
        }
    }

    static string Refuse(string[] overrides, string dir) => overrides.Length == 0
        ? dir
        : throw new ArgumentException($"{string.Join(", ", overrides)} change stages 0a/0b, which the foundation models in {dir} replace; pass --foundations scratch to train them");
}
