namespace Pipeline.Data;

/// <summary>dataset.json: how a dataset was made and the hashes that identify it.</summary>
/// <param name="Questions">The 2DS (spatial) questions in questions.jsonl.</param>
/// <param name="SemanticQuestions">The semantic control's questions in semantic.jsonl (0 before the control existed).</param>
public sealed record DatasetManifest(
    string Generator,
    int GeneratorVersion,
    string Split,
    ulong Seed,
    int ImageSize,
    int Images,
    int Questions,
    int QuestionsPerCategory,
    IReadOnlyDictionary<string, int> ObjectCounts,
    IReadOnlyDictionary<string, int> Categories,
    IReadOnlyDictionary<string, string> Sha256,
    string ImagesSha256,
    int SemanticQuestions = 0)
{
    public const string GeneratorName = "pipeline-2ds";
    public const int CurrentVersion = 2;
    public const string FileName = "dataset.json";

    /// <summary>Whether this dataset is what the current generator makes from <paramref name="o"/>.</summary>
    public bool Describes(DatasetOptions o) =>
        Split == o.SplitName && Seed == o.EffectiveSeed && Images == o.Images && ImageSize == o.ImageSize
        && QuestionsPerCategory == o.QuestionsPerCategory && Generator == GeneratorName && GeneratorVersion == CurrentVersion;
}
