using System.Text.Json;
using Pipeline.Data;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using Pipeline.Train.Training;

namespace Pipeline.Train.Foundations;

/// <summary>
/// The two foundation models a run starts from, as LLaVA starts from CLIP and Vicuna: the vision
/// encoder (stage 0a) in vision/ and the language model (stage 0b) in language/.
/// </summary>
public sealed class FoundationSet(Foundation vision, Foundation language)
{
    public const string VisionFolder = "vision", LanguageFolder = "language";

    public Foundation Vision { get; } = vision;
    public Foundation Language { get; } = language;

    /// <summary>Both models' identities: what the stage records key on, so a swapped model re-runs what depends on it.</summary>
    public string Id => Identity(Vision.Id, Language.Id);

    /// <summary>The <see cref="Id"/> of the set in <paramref name="dir"/>, read from its manifests alone (no file is hashed).</summary>
    public static string IdOf(string dir) =>
        Identity(Foundation.IdOf(Path.Combine(dir, VisionFolder)), Foundation.IdOf(Path.Combine(dir, LanguageFolder)));

    static string Identity(string vision, string language) => $"vision {vision}, language {language}";

    public static FoundationSet Load(string dir) =>
        new(Foundation.Load(Path.Combine(dir, VisionFolder), FoundationManifest.VisionEncoder),
            Foundation.Load(Path.Combine(dir, LanguageFolder), FoundationManifest.LanguageModel));

    /// <summary>The folder a preset's shipped foundations live in (models/PRESET beside the program), or null where it has none.</summary>
    public static string? Shipped(string preset)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "models", preset);
        return File.Exists(Path.Combine(dir, VisionFolder, FoundationManifest.FileName)) ? dir : null;
    }

    /// <summary>The architecture a foundation records: the encoder without the adapter's tap choice, which is not the encoder's.</summary>
    public static string VisionConfigText(Preset p) => JsonSerializer.Serialize(p.Vision with { ShallowTap = false }, Json.Compact);

    public static string LanguageConfigText(Preset p, int vocabSize) => JsonSerializer.Serialize(p.Language(vocabSize), Json.Compact);

    public static string VocabId(WordVocab vocab) => Sha256.OfBytes(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", vocab.File.Tokens)));

    /// <summary>Refuses, in one line, models whose architecture or vocabulary differ from what the preset builds.</summary>
    public void CheckFits(Preset preset, WordVocab vocab)
    {
        Check(Vision, VisionConfigText(preset), "vision encoder", preset);
        Check(Language, LanguageConfigText(preset, vocab.Count), "language model", preset);
        if (Language.Manifest.Vocab != VocabId(vocab))
            throw new InvalidDataException($"{Language.Dir} was trained on another vocabulary than this run's data; use foundations built for this data ('pipeline pretrain') or --foundations scratch");
    }

    static void Check(Foundation f, string expected, string what, Preset preset)
    {
        if (f.Manifest.Config != expected)
            throw new InvalidDataException($"{f.Dir} holds a {what} of another architecture than preset '{preset.Name}' builds ({f.Manifest.Config} vs {expected}); use its preset's foundations or --foundations scratch");
    }

    /// <summary>Stage 0a's result as the encoder's manifest recorded it.</summary>
    public VisionPretrainResult VisionResult() => new(
        Vision.FilePath(VisionPretraining.EncoderFile), Vision.Score("presence"), Vision.Score("presence_colors"), Vision.Score("presence_shapes"),
        Vision.Score("presence_base_rate"), Vision.Score("samples_per_s"), Optional(Vision, "patch_shapes"), Optional(Vision, "patch_colors"));

    static double? Optional(Foundation f, string key) => f.Manifest.Scores.TryGetValue(key, out double v) ? v : null;

    /// <summary>Stage 0b's result as the language model's manifest recorded it.</summary>
    public TextPretrainResult TextResult() => new(
        Language.FilePath(TextPretraining.LanguageModelFile), Language.Score("text_accuracy"),
        new SortedDictionary<string, double>(Language.Manifest.Scores.Where(s => s.Key.StartsWith(TextPrefix, StringComparison.Ordinal))
            .ToDictionary(s => s.Key[TextPrefix.Length..], s => s.Value), StringComparer.Ordinal),
        new NormConstants(Language.Score("norm_mean"), Language.Score("norm_max")), Language.Score("samples_per_s"));

    const string TextPrefix = "text.";

    /// <summary>The scores each manifest keeps, from a run's 0a and 0b results.</summary>
    public static IReadOnlyDictionary<string, double> VisionScores(VisionPretrainResult v)
    {
        var scores = new Dictionary<string, double>
        {
            ["presence"] = v.LabelAccuracy,
            ["presence_colors"] = v.ColorAccuracy,
            ["presence_shapes"] = v.ShapeAccuracy,
            ["presence_base_rate"] = v.BaseRate,
            ["samples_per_s"] = v.SamplesPerS,
        };
        if (v.PatchShapeAccuracy is double shapes) scores["patch_shapes"] = shapes;
        if (v.PatchColorAccuracy is double colors) scores["patch_colors"] = colors;
        return scores;
    }

    public static IReadOnlyDictionary<string, double> TextScores(TextPretrainResult t) =>
        new Dictionary<string, double>(t.PerCategory.Select(c => KeyValuePair.Create(TextPrefix + c.Key, c.Value)))
        {
            ["text_accuracy"] = t.QuestionAccuracy,
            ["norm_mean"] = t.Measured.TargetMean,
            ["norm_max"] = t.Measured.MaxNorm,
            ["samples_per_s"] = t.SamplesPerS,
        };
}
