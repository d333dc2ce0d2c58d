namespace Pipeline.Data;

/// <summary>
/// The spatial facts that 2DS answers rest on, with the margin rule: a fact counts only when it
/// holds by at least half the larger object's size, so no answer hangs on a near-tie.
/// </summary>
public static class Geometry
{
    public static double Margin(SceneObject a, SceneObject b) => Math.Max(a.Size, b.Size) / 2.0;

    /// <summary>Signed distance along the direction: larger means further towards that edge.</summary>
    static double Towards(SceneObject o, Direction d) => d switch
    {
        Direction.Top => -o.CenterY,
        Direction.Bottom => o.CenterY,
        Direction.Left => -o.CenterX,
        Direction.Right => o.CenterX,
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };

    /// <summary>The object at that edge of the image, or null when the runner-up is within the margin.</summary>
    public static SceneObject? Extreme(IReadOnlyList<SceneObject> objects, Direction d)
    {
        var sorted = objects.OrderByDescending(o => Towards(o, d)).ToArray();
        if (sorted.Length == 1) return sorted[0];
        return Towards(sorted[0], d) - Towards(sorted[1], d) >= Margin(sorted[0], sorted[1]) ? sorted[0] : null;
    }

    /// <summary>Whether "a is &lt;relation&gt; b" holds, fails, or is too close to call (null).</summary>
    public static bool? Holds(SceneObject a, Relation r, SceneObject b)
    {
        double delta = r switch
        {
            Relation.Above => b.CenterY - a.CenterY,
            Relation.Below => a.CenterY - b.CenterY,
            Relation.LeftOf => b.CenterX - a.CenterX,
            Relation.RightOf => a.CenterX - b.CenterX,
            _ => throw new ArgumentOutOfRangeException(nameof(r)),
        };
        double margin = Margin(a, b);
        return delta >= margin ? true : delta <= -margin ? false : null;
    }

    public static string Word(Direction d) => d switch
    {
        Direction.Top => "top",
        Direction.Bottom => "bottom",
        Direction.Left => "left",
        _ => "right",
    };

    public static string Words(Relation r) => r switch
    {
        Relation.Above => "above",
        Relation.Below => "below",
        Relation.LeftOf => "left of",
        _ => "right of",
    };
}
