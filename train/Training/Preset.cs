using System.Text;
using System.Text.Json.Serialization;
using Pipeline.Data;
using Pipeline.Train.Model;

namespace Pipeline.Train.Training;

/// <summary>One training stage's budget.</summary>
public sealed record StageBudget(int Steps, int BatchSize, double LearningRate, int WarmupSteps, double WeightDecay = 0.0, double ClipNorm = 1.0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] LrSchedule Schedule = LrSchedule.Cosine,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RestartPoints? Restarts = null)
{
    // Stage records key on this text and the JSON: the default schedule stays out of both, so that
    // run folders trained before the schedule existed keep their records.
    bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Steps = {Steps}, BatchSize = {BatchSize}, LearningRate = {LearningRate}, WarmupSteps = {WarmupSteps}, WeightDecay = {WeightDecay}, ClipNorm = {ClipNorm}");
        if (Schedule != LrSchedule.Cosine) builder.Append($", Schedule = {Schedule}");
        if (Restarts is not null) builder.Append($", Restarts = {Restarts}");
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int TextGrid = 0)
{
    public static readonly Preset[] All =
    [
        new("tiny", 120, 40, 50, 32, 2,
            new VisionConfig(ImageSize: 32, PatchSize: 8, Width: 32, Depth: 2, Heads: 2), 32, 2, 2, 64,
            new(Steps: 20, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2),
            new(Steps: 20, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2),
            new(Steps: 10, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2),
            new(Steps: 20, BatchSize: 16, LearningRate: 1e-3, WarmupSteps: 2),
            CheckpointEvery: 10),
        new("quick", 2_000, 250, 500, 64, 2,
            new VisionConfig(Width: 64, Depth: 4, Heads: 4, ShallowTap: true), 64, 2, 4, 172,
            new(Steps: 150, BatchSize: 32, LearningRate: 1e-3, WarmupSteps: 15, WeightDecay: 0.05),
            new(Steps: 150, BatchSize: 32, LearningRate: 1e-3, WarmupSteps: 15, WeightDecay: 0.05),
            new(Steps: 60, BatchSize: 32, LearningRate: 1e-3, WarmupSteps: 6),
            new(Steps: 150, BatchSize: 32, LearningRate: 3e-4, WarmupSteps: 15),
            CheckpointEvery: 50),
        // Budgeted from 'pipeline bench train' on 2 cores: ViT 128×6 ~93 images/s, LM ~205
        // sequences/s, stage 2 packed ~510 questions/s (unpacked ~150); about 40 minutes of training.
        // Stage 2 gets 2.5× the questions it had unpacked (at 1,000 steps it had not learned shapes);
        // 3,000 steps came to 46.5 min in all; 2,500 measured 42.5 min whole, idle (target 45), and
        // 41.9 min with 0a's patch head (0a 123 images/s that day). ShallowTap: with the paper's taps
        // (3-6) norm-multilayer located shapes but answered colours at chance, 44.9%; with 1, 3, 5, 6
        // it located both, 64.3% (43.5 min whole, not quite idle).
        new("small", 20_000, 500, 500, 64, 2,
            new VisionConfig(Width: 128, Depth: 6, Heads: 4, ShallowTap: true), 128, 4, 4, 344,
            new(Steps: 1_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60, WeightDecay: 0.05),
            new(Steps: 1_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60, WeightDecay: 0.05),
            new(Steps: 200, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 20),
            new(Steps: 2_500, BatchSize: 64, LearningRate: 5e-4, WarmupSteps: 150),
            CheckpointEvery: 200),
        // Measured whole, idle, before 0a's patch head: 113.3 min (0a 38 min at 84 images/s, 94.2% presence accuracy; 0b 7 min;
        // each variant ~21 min; evaluation 3 min).
        // 0b stays at 1,000 single-question steps: three times as many did not raise its accuracy on the
        // small preset. Transcripts (--text-format transcript) did, resumed with restarts: 73.5% at 4,000 steps,
        // 87.7% at 6,000, 99.3% at 20,000 (docs/results/2026-11-26-transcript-20k), but at 32 seq/s on
        // 2 cores that is 2-11 h of 0b, far over either preset's budget (an H100: 6 min for 14,000 steps).
        new("full", 50_000, 1_000, 500, 64, 3,
            new VisionConfig(Width: 128, Depth: 8, Heads: 4, ShallowTap: true), 128, 4, 4, 344,
            new(Steps: 3_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 150, WeightDecay: 0.05),
            new(Steps: 1_000, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60, WeightDecay: 0.05),
            new(Steps: 600, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60),
            new(Steps: 6_000, BatchSize: 64, LearningRate: 5e-4, WarmupSteps: 200),
            CheckpointEvery: 250),
    ];

    /// <summary>
    /// Stage 0b on scene transcripts. For the presets with the small LM (small, full) 0b also takes the
    /// budget that trained the 99.3% transcript LM (docs/results/2026-11-26-transcript-20k): 20,000
    /// steps, cosine restarted where that run was resumed with more steps, so one command retraces it;
    /// --steps 0b=N stops it where that run was at N (4,000: 73.5%, 6,000: 87.7%). tiny and quick keep
    /// their 0b budget (tests, smoke runs).
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

    /// <summary>Stage 0b's text format as --text-format names it.</summary>
    public string TextFormatName => !TextTranscripts ? "single" : TextGrid > 0 ? "grid-transcript" : "transcript";

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
