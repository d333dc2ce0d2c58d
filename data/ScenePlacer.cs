namespace Pipeline.Data;

/// <summary>Places objects at random, without overlap and away from the border.</summary>
public static class ScenePlacer
{
    /// <summary>Smallest image edge on which six objects and their answer margins fit reliably.</summary>
    public const int MinImageSize = 32;
    const int Gap = 1;
    const int MaxTriesPerScene = 2000;

    /// <summary>Typical object edge for an image edge: about a sixth of it, at least 4 pixels.</summary>
    public static int BaseObjectSize(int imageSize) => Math.Max(4, (int)Math.Round(imageSize * 0.17));

    public static int RandomObjectSize(int imageSize, Rng rng)
    {
        int b = BaseObjectSize(imageSize);
        int spread = Math.Max(1, b / 5);
        return Math.Max(4, b + rng.Next(-spread, spread + 1));
    }

    /// <summary>
    /// New positions for the given (colour, shape, size) objects, or null if none was found in
    /// the allowed tries (the caller resamples).
    /// </summary>
    public static IReadOnlyList<SceneObject>? TryPlace(IReadOnlyList<(string Color, string Shape, int Size)> items, int imageSize, Rng rng)
    {
        var placed = new List<SceneObject>(items.Count);
        for (int attempt = 0; attempt < MaxTriesPerScene && placed.Count < items.Count; attempt++)
        {
            var (color, shape, size) = items[placed.Count];
            int lo = size / 2 + 1, hi = imageSize - 1 - (size - size / 2) - 1;
            if (hi < lo) return null;
            var candidate = new SceneObject(color, shape, rng.Next(lo, hi + 1), rng.Next(lo, hi + 1), size);
            if (placed.All(o => Apart(o, candidate))) placed.Add(candidate);
            else if (attempt % 200 == 199) placed.Clear(); // a crowded start: begin again
        }
        return placed.Count == items.Count ? placed : null;
    }

    /// <summary>Bounding boxes separated by at least <see cref="Gap"/> pixels on some axis.</summary>
    static bool Apart(SceneObject a, SceneObject b)
    {
        double need = (a.Size + b.Size) / 2.0 + Gap;
        return Math.Abs(a.CenterX - b.CenterX) >= need || Math.Abs(a.CenterY - b.CenterY) >= need;
    }
}
