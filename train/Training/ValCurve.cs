using System.Text.Json;

namespace Pipeline.Train.Training;

/// <summary>
/// A stage's validation curve (val_curve.jsonl beside its checkpoint): one point a checkpoint. A
/// resumed stage redoes the steps past its checkpoint, so a new point replaces every point from its
/// step on.
/// </summary>
public static class ValCurve
{
    public const string FileName = "val_curve.jsonl";

    /// <summary>The curve in <paramref name="stageDir"/>; empty where the stage keeps none.</summary>
    public static IReadOnlyList<T> Read<T>(string stageDir)
    {
        string path = Path.Combine(stageDir, FileName);
        return File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<T>(l, Json.Compact)!).ToArray()
            : [];
    }

    /// <summary>Adds <paramref name="point"/> at its step (written whole: temporary file, then rename) and returns the curve.</summary>
    public static IReadOnlyList<T> Append<T>(string stageDir, T point, Func<T, int> stepOf)
    {
        var curve = Read<T>(stageDir).Where(p => stepOf(p) < stepOf(point)).Append(point).ToArray();
        AtomicFile.WriteAllLines(Path.Combine(stageDir, FileName), curve.Select(p => JsonSerializer.Serialize(p, Json.Compact)));
        return curve;
    }
}
