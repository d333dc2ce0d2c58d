using System.Text.RegularExpressions;
using Pipeline.Data;

namespace Pipeline.Tests.Data;

/// <summary>
/// Re-derives every answer from the scene geometry, written apart from the generator: it parses
/// the question text, finds the objects, and applies the margin rule (half the larger size).
/// Returns null when the geometry does not decide the answer with that margin.
/// </summary>
public static partial class AnswerOracle
{
    public static string? Answer(string question, IReadOnlyList<SceneObject> objects)
    {
        var abs = Absolute().Match(question);
        if (abs.Success) return AnswerAbsolute(abs.Groups[1].Value, abs.Groups[2].Value, objects);
        var rel = Relative().Match(question);
        if (rel.Success) return AnswerRelative(Find(rel.Groups[1].Value, objects), rel.Groups[2].Value, Find(rel.Groups[3].Value, objects));
        var presence = Presence().Match(question);
        if (presence.Success)
        {
            bool article = presence.Groups[1].Value == (presence.Groups[2].Value == "orange" ? "an" : "a");
            if (!article) throw new AssertionException($"wrong article in '{question}'");
            return objects.Any(o => o.Color == presence.Groups[2].Value && o.Shape == presence.Groups[3].Value) ? "yes" : "no";
        }
        var colorOf = ColorOfShape().Match(question);
        if (colorOf.Success) return Find(colorOf.Groups[1].Value, objects).Color;
        var shapeOf = ShapeOfColor().Match(question);
        if (shapeOf.Success) return Find(shapeOf.Groups[1].Value + " object", objects).Shape;
        throw new AssertionException($"question does not follow a 2DS template: '{question}'");
    }

    static string? AnswerAbsolute(string what, string edge, IReadOnlyList<SceneObject> objects)
    {
        // Position along the edge's axis, larger = closer to that edge (pixel centres at +0.5 cancel out).
        Func<SceneObject, double> toward = edge switch
        {
            "top" => o => -o.Y,
            "bottom" => o => o.Y,
            "left" => o => -o.X,
            "right" => o => o.X,
            _ => throw new AssertionException($"unknown edge {edge}"),
        };
        var ranked = objects.OrderByDescending(toward).ToList();
        var first = ranked[0];
        foreach (var other in ranked.Skip(1))
            if (toward(first) - toward(other) < Math.Max(first.Size, other.Size) / 2.0) return null;
        return what switch { "color" => first.Color, "shape" => first.Shape, _ => $"{first.Color} {first.Shape}" };
    }

    static string? AnswerRelative(SceneObject a, string relation, SceneObject b)
    {
        double d = relation switch
        {
            "above" => b.Y - a.Y,
            "below" => a.Y - b.Y,
            "left of" => b.X - a.X,
            "right of" => a.X - b.X,
            _ => throw new AssertionException($"unknown relation {relation}"),
        };
        double margin = Math.Max(a.Size, b.Size) / 2.0;
        return d >= margin ? "yes" : d <= -margin ? "no" : null;
    }

    /// <summary>"red object", "circle" or "red circle": exactly one object must match.</summary>
    static SceneObject Find(string reference, IReadOnlyList<SceneObject> objects)
    {
        var words = reference.Split(' ');
        var matches = objects.Where(o => words switch
        {
            [var c, "object"] => o.Color == c,
            [var s] => o.Shape == s,
            [var c, var s] => o.Color == c && o.Shape == s,
            _ => false,
        }).ToList();
        if (matches.Count != 1) throw new AssertionException($"'{reference}' names {matches.Count} objects");
        return matches[0];
    }

    [GeneratedRegex(@"^is there (a|an) ([a-z]+) ([a-z]+) in the image\?$")]
    private static partial Regex Presence();

    [GeneratedRegex(@"^what color is the ([a-z]+)\?$")]
    private static partial Regex ColorOfShape();

    [GeneratedRegex(@"^what shape is the ([a-z]+) object\?$")]
    private static partial Regex ShapeOfColor();

    [GeneratedRegex(@"^what (color|shape|object) is at the (top|bottom|left|right) of the image\?$")]
    private static partial Regex Absolute();

    [GeneratedRegex(@"^is the ([a-z]+(?: [a-z]+)?) (above|below|left of|right of) the ([a-z]+(?: [a-z]+)?)\?$")]
    private static partial Regex Relative();
}
