namespace Pipeline.Train.Foundations;

/// <summary>One file of a foundation model: its path inside the folder, size and SHA-256.</summary>
public sealed record FoundationFile(string Path, long Bytes, string Sha256);

/// <summary>How a foundation model was made: enough to make it again and to judge what it cost.</summary>
/// <param name="Command">The command line that trained it.</param>
/// <param name="Commit">The source commit it was trained from ("unknown" outside a git checkout).</param>
/// <param name="Recipe">The stage budget (steps, batch, learning rate, schedule) and, for the LM, the text format.</param>
/// <param name="Steps">Optimizer steps trained; fewer than the recipe's when <see cref="FoundationManifest.Finished"/> is false.</param>
/// <param name="WallSeconds">Training time summed over sittings (from the stage's metrics).</param>
public sealed record FoundationProvenance(string Command, string Commit, ulong Seed, string Recipe, int Steps, double WallSeconds, string Machine, string Device, string CreatedUtc);

/// <summary>
/// manifest.json of a foundation model folder: what the model is (kind, preset, architecture, the
/// vocabulary it was trained on), its files with their hashes, how it was made and its own scores.
/// </summary>
/// <param name="Config">The architecture as compact JSON; a run whose preset builds another refuses the model.</param>
/// <param name="Vocab">SHA-256 of the vocabulary's tokens in id order (language model only; empty for the encoder).</param>
/// <param name="Finished">False for a model shipped between sittings of a longer recipe.</param>
public sealed record FoundationManifest(
    int Format,
    string Kind,
    string Preset,
    string Config,
    string Vocab,
    IReadOnlyList<FoundationFile> Files,
    FoundationProvenance ProducedBy,
    IReadOnlyDictionary<string, double> Scores,
    bool Finished)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";
    public const string VisionEncoder = "vision-encoder", LanguageModel = "language-model";
}
