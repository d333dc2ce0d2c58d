namespace Pipeline.Data;

public enum Split { Train, Val, Test }

/// <summary>What to generate. Defaults give the canonical 2DS-test (500 images, 3000 questions).</summary>
public sealed record DatasetOptions(
    Split Split = Split.Test,
    int Images = DatasetOptions.TestImages,
    ulong? Seed = null,
    int ImageSize = 64,
    int QuestionsPerCategory = 1)
{
    public const int TestImages = 500;
    public const int MaxImageSize = 256;
    public static readonly int[] MetaCategories = [2, 3, 4, 5, 6];

    /// <summary>Fixed default seeds: "2DS-test" means one dataset everywhere.</summary>
    public ulong EffectiveSeed => Seed ?? Split switch { Split.Test => 2025UL, Split.Val => 7UL, _ => 1UL };

    /// <summary>The split as written in dataset.json: train, val or test.</summary>
    public string SplitName => Split.ToString().ToLowerInvariant();

    /// <summary>Disjoint random streams per split: train never sees a test scene.</summary>
    public string Stream => "2ds-" + SplitName;

    public int ImagesPerMetaCategory => Images / MetaCategories.Length;

    public int MaxObjects => MetaCategories[^1];

    public static Split ParseSplit(string text) => text.ToLowerInvariant() switch
    {
        "train" => Split.Train,
        "val" => Split.Val,
        "test" => Split.Test,
        _ => throw new ArgumentException($"unknown split '{text}': use train, val or test"),
    };

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line fix for any invalid setting.</summary>
    /// <summary>The largest split written: ~10 KB an image at 64 px.</summary>
    public const int MaxImages = 1_000_000;

    public const int MaxQuestionsPerCategory = 20;

    public void Validate()
    {
        if (Images <= 0) throw new ArgumentException($"--images must be positive (got {Images})");
        if (Images > MaxImages) throw new ArgumentException($"--images {Images} is more than {MaxImages:N0}, a split of about 10 GB: use at most {MaxImages:N0}");
        if (QuestionsPerCategory <= 0) throw new ArgumentException($"--questions-per-category must be positive (got {QuestionsPerCategory})");
        if (QuestionsPerCategory > MaxQuestionsPerCategory)
            throw new ArgumentException($"--questions-per-category {QuestionsPerCategory} is more than {MaxQuestionsPerCategory}: an image has too few distinct questions for more");
        if (ImageSize < ScenePlacer.MinImageSize)
            throw new ArgumentException($"--image-size {ImageSize} is too small to place {MaxObjects} objects: use at least {ScenePlacer.MinImageSize}");
        if (ImageSize > MaxImageSize) throw new ArgumentException($"--image-size {ImageSize} is too large: use at most {MaxImageSize}");
        if (Split == Split.Test && Images % MetaCategories.Length != 0)
            throw new ArgumentException($"the test split needs --images divisible by {MetaCategories.Length} (one meta-category per object count); got {Images}");
        if (Split == Split.Test && QuestionsPerCategory != 1)
            throw new ArgumentException("the test split has exactly one question per category per image: leave out --questions-per-category");
    }
}
