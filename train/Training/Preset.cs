using System.Text;
using System.Text.Json.Serialization;
using Pipeline.Data;
using Pipeline.Train.Model;

namespace Pipeline.Train.Training;

/// <summary>One training stage's budget.</summary>
public sealed record StageBudget(int Steps, int BatchSize, double LearningRate, int WarmupSteps, double WeightDecay = 0.0, double ClipNorm = 1.0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] LrSchedule Schedule = LrSchedule.Cosine,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RestartPoints? Restarts = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Beta2 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Patience = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MinSteps = null)
{
    /// <summary>
    /// AdamW's β₂ where a budget names none: TorchSharp's (and PyTorch's) default, which the shipped
    /// foundation models were trained with; 0b's phase changes are sensitive to it.
    /// </summary>
    public const double DefaultBeta2 = 0.999;

    /// <summary>LLaVA's β₂, for stages 1 and 2 (the same value as the default, named so the recipe says it).</summary>
    public const double LlavaBeta2 = 0.999;

    /// <summary>
    /// Stage 2 until its validation accuracy plateaus: evaluated at every checkpoint, stopped once
    /// <paramref name="patience"/> evaluations in a row have not beaten the best by half a point, but
    /// not before <paramref name="minSteps"/> (a slow climb looks flat on 600 noisy questions), and
    /// at <paramref name="cap"/> steps at the latest.
    /// </summary>
    public StageBudget UntilPlateau(int cap, int patience, int minSteps = 0) =>
        WithSteps(cap) with { Patience = patience, MinSteps = minSteps > 0 ? minSteps : null };

    /// <summary>Whether a plateau may stop the stage at <paramref name="step"/>: not before its minimum steps.</summary>
    public bool MayStopAt(int step) => step >= (MinSteps ?? 0);

    // Stage records key on this text and the JSON: the default schedule stays out of both, so that
    // run folders trained before the schedule existed keep their records.
    bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Steps = {Steps}, BatchSize = {BatchSize}, LearningRate = {LearningRate}, WarmupSteps = {WarmupSteps}, WeightDecay = {WeightDecay}, ClipNorm = {ClipNorm}");
        if (Schedule != LrSchedule.Cosine) builder.Append($", Schedule = {Schedule}");
        if (Restarts is not null) builder.Append($", Restarts = {Restarts}");
        if (Beta2 is not null) builder.Append($", Beta2 = {Beta2}");
        if (Patience is not null) builder.Append($", Patience = {Patience}");
        if (MinSteps is not null) builder.Append($", MinSteps = {MinSteps}");
        return true;
    }

    /// <summary>A new step count, warm-up kept at the same share of the stage.</summary>
    public StageBudget WithSteps(int steps) =>
        this with { Steps = steps, WarmupSteps = Math.Max(1, (int)Math.Round((double)WarmupSteps * steps / Steps)) };
}

/// <summary>
/// Everything a preset fixes: data sizes, model sizes, and each stage's budget. tiny is for
/// tests (seconds), quick a smoke run of every stage, small the main job, full the reference.
/// </summary>
public sealed record Preset(
    string Name,
    int TrainImages, int ValImages, int TestImages, int ImageSize, int QuestionsPerCategory,
    VisionConfig Vision, int LmWidth, int LmDepth, int LmHeads, int LmMlpHidden,
    StageBudget Vision0a, StageBudget Text0b, StageBudget Align1, StageBudget Qa2,
    int CheckpointEvery, int Threads = 2, ulong Seed = 1, bool TextTranscripts = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int TextGrid = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool TextPositionLookups = false)
{
    public static readonly Preset[] All =
    [
        new(Name: "tiny", TrainImages: 120, ValImages: 40, TestImages: 50, ImageSize: 32, QuestionsPerCategory: 2,
            Vision: new VisionConfig(ImageSize: 32, PatchSize: 8, Width: 32, Depth: 2, Heads: 2),
            LmWidth: 32, LmDepth: 2, LmHeads: 2, LmMlpHidden: 64,
            Vision0a: new(Steps: 20, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2),
            Text0b: new(Steps: 20, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2),
            Align1: new(Steps: 10, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2, Beta2: StageBudget.LlavaBeta2),
            Qa2: new(Steps: 20, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2, Beta2: StageBudget.LlavaBeta2),
            CheckpointEvery: 10),
        new(Name: "quick", TrainImages: 2_000, ValImages: 250, TestImages: 500, ImageSize: 64, QuestionsPerCategory: 2,
            Vision: new VisionConfig(Width: 64, Depth: 4, Heads: 4),
            LmWidth: 64, LmDepth: 2, LmHeads: 4, LmMlpHidden: 172,
            Vision0a: new(Steps: 150, BatchSize: 32, LearningRate: 1e-3, WarmupSteps: 15, WeightDecay: 0.05),
            Text0b: new(Steps: 150, BatchSize: 32, LearningRate: 1e-3, WarmupSteps: 15, WeightDecay: 0.05),
            Align1: new(Steps: 60, BatchSize: 32, LearningRate: 1e-3, WarmupSteps: 6, Beta2: StageBudget.LlavaBeta2),
            Qa2: new(Steps: 150, BatchSize: 32, LearningRate: 3e-4, WarmupSteps: 15, Beta2: StageBudget.LlavaBeta2),
            CheckpointEvery: 50),
        // The main job: budgeted from 'pipeline bench train' to fit well under an hour on two cores.
        // Stage 2 runs packed (several questions per row), so it sees enough questions to learn shapes.
        new(Name: "small", TrainImages: 20_000, ValImages: 500, TestImages: 500, ImageSize: 64, QuestionsPerCategory: 2,
            Vision: new VisionConfig(Width: 128, Depth: 6, Heads: 4),
            LmWidth: 128, LmDepth: 4, LmHeads: 4, LmMlpHidden: 344,
            Vision0a: new(Steps: 1_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60, WeightDecay: 0.05),
            Text0b: new(Steps: 1_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60, WeightDecay: 0.05),
            Align1: new(Steps: 200, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 20, Beta2: StageBudget.LlavaBeta2),
            Qa2: new(Steps: 2_500, BatchSize: 64, LearningRate: 5e-4, WarmupSteps: 150, Beta2: StageBudget.LlavaBeta2),
            CheckpointEvery: 200),
        // The reference: more data, a deeper encoder and longer stages, about two hours on two cores.
        new(Name: "full", TrainImages: 50_000, ValImages: 1_000, TestImages: 500, ImageSize: 64, QuestionsPerCategory: 3,
            Vision: new VisionConfig(Width: 128, Depth: 8, Heads: 4),
            LmWidth: 128, LmDepth: 4, LmHeads: 4, LmMlpHidden: 344,
            Vision0a: new(Steps: 3_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 150, WeightDecay: 0.05),
            Text0b: new(Steps: 1_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60, WeightDecay: 0.05),
            Align1: new(Steps: 600, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60, Beta2: StageBudget.LlavaBeta2),
            Qa2: new(Steps: 6_000, BatchSize: 64, LearningRate: 5e-4, WarmupSteps: 200, Beta2: StageBudget.LlavaBeta2),
            CheckpointEvery: 250),
    ];

    /// <summary>
    /// Stage 0b on scene transcripts. For the presets with the small LM (small, full) 0b also takes the
    /// transcript recipe's budget: 20,000 steps, the cosine restarted at fixed points so that one
    /// command retraces the LM that was first trained in several sittings. tiny and quick keep their
    /// 0b budget (tests, smoke runs).
    /// </summary>
    public Preset WithTextTranscripts() => this with
    {
        TextTranscripts = true,
        Text0b = Name is "small" or "full"
            ? Text0b.WithSteps(TranscriptSteps) with { Schedule = LrSchedule.Restarts, Restarts = TranscriptRestarts }
            : Text0b,
    };

    /// <summary>
    /// Transcripts whose positions are the cell of the vision tokens' grid (8 values a side on the
    /// small preset) instead of pixel coordinates: fewer numbers for the LM to learn to order.
    /// </summary>
    public Preset WithGridTranscripts() => WithTextTranscripts() with { TextGrid = Vision.GridSize };

    /// <summary>
    /// Grid transcripts that also ask each object's x and y: the two lookups a relative question
    /// combines, taught on their own.
    /// </summary>
    public Preset WithGridPositionTranscripts() => WithGridTranscripts() with { TextPositionLookups = true };

    /// <summary>Pixel-coordinate transcripts that also ask each object's x and y.</summary>
    public Preset WithPositionTranscripts() => WithTextTranscripts() with { TextPositionLookups = true };

    /// <summary>Stage 0b's text formats, as --text-format names them.</summary>
    public static readonly IReadOnlyList<string> TextFormats = ["single", "transcript", "positions", "grid-transcript", "grid-positions"];

    /// <summary>This preset with 0b's text in the named format (one of <see cref="TextFormats"/>), whatever format it had.</summary>
    public Preset WithTextFormat(string format)
    {
        var single = this with { TextTranscripts = false, TextGrid = 0, TextPositionLookups = false };
        return format switch
        {
            "single" => single,
            "transcript" => single.WithTextTranscripts(),
            "positions" => single.WithPositionTranscripts(),
            "grid-transcript" => single.WithGridTranscripts(),
            "grid-positions" => single.WithGridPositionTranscripts(),
            _ => throw new ArgumentException($"unknown --text-format '{format}': use {string.Join(", ", TextFormats)}"),
        };
    }

    /// <summary>Stage 0b's text format as --text-format names it.</summary>
    public string TextFormatName => (TextTranscripts, TextGrid > 0, TextPositionLookups) switch
    {
        (false, _, _) => "single",
        (true, false, false) => "transcript",
        (true, false, true) => "positions",
        (true, true, false) => "grid-transcript",
        (true, true, true) => "grid-positions",
    };

    /// <summary>Pixels per coordinate step in 0b's scene descriptions: 1 for pixel coordinates.</summary>
    public int TextCell => TextGrid > 0 ? ImageSize / TextGrid : 1;

    const int TranscriptSteps = 20_000;
    static readonly RestartPoints TranscriptRestarts = new([2_000, 4_000, 6_000, 6_200]);

    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    public static Preset Parse(string name) =>
        All.FirstOrDefault(p => p.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"unknown preset '{name}': use {string.Join(", ", Names)}");

    public LanguageConfig Language(int vocabSize) =>
        new(vocabSize, Width: LmWidth, Depth: LmDepth, Heads: LmHeads, MlpHidden: LmMlpHidden, MaxSeqLen: 512);

    public ModelConfig Model(int vocabSize, Variant variant, NormConstants? norm, int? poolTokens = null) =>
        new(Vision, Language(vocabSize), variant, poolTokens, variant.UsesNormAdapter() ? norm : null);

    /// <summary>The three splits the run generates: folder name and options.</summary>
    public IEnumerable<(string Folder, DatasetOptions Options)> DataSplits()
    {
        yield return ("test", new DatasetOptions(Split.Test, TestImages, null, ImageSize, 1));
        yield return ("train", new DatasetOptions(Split.Train, TrainImages, null, ImageSize, QuestionsPerCategory));
        yield return ("val", new DatasetOptions(Split.Val, ValImages, null, ImageSize, QuestionsPerCategory));
    }
}
