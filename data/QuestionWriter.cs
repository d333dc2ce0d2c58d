namespace Pipeline.Data;

/// <summary>Writes 2DS questions whose answers follow from the scene geometry with a margin.</summary>
public static class QuestionWriter
{
    static readonly Direction[] Directions = Enum.GetValues<Direction>();
    static readonly Relation[] Relations = Enum.GetValues<Relation>();

    /// <summary>
    /// A question of the category about the objects, or null when the scene offers none (no
    /// clear extreme, or no pair clearly apart; the caller resamples). For relative questions
    /// <paramref name="wantYes"/> picks the answer, which keeps yes/no balanced by construction.
    /// </summary>
    public static (string Text, string Answer)? TryWrite(string category, IReadOnlyList<SceneObject> objects, bool wantYes, Rng rng)
    {
        string kind = Categories.Kind(category);
        return Categories.IsRelative(category) ? TryRelative(kind, objects, wantYes, rng) : TryAbsolute(kind, objects, rng);
    }

    static (string, string)? TryAbsolute(string kind, IReadOnlyList<SceneObject> objects, Rng rng)
    {
        var options = Directions.Select(d => (d, obj: Geometry.Extreme(objects, d))).Where(t => t.obj != null).ToArray();
        if (options.Length == 0) return null;
        var (direction, o) = rng.Pick(options);
        string edge = Geometry.Word(direction);
        return kind switch
        {
            "color" => ($"what color is at the {edge} of the image?", o!.Color),
            "shape" => ($"what shape is at the {edge} of the image?", o!.Shape),
            _ => ($"what object is at the {edge} of the image?", o!.Name),
        };
    }

    static (string, string)? TryRelative(string kind, IReadOnlyList<SceneObject> objects, bool wantYes, Rng rng)
    {
        var options = new List<(SceneObject A, Relation R, SceneObject B)>();
        foreach (var a in objects)
            foreach (var b in objects)
                if (!ReferenceEquals(a, b))
                    foreach (var r in Relations)
                        if (Geometry.Holds(a, r, b) == wantYes) options.Add((a, r, b));
        if (options.Count == 0) return null;
        var (oa, rel, ob) = rng.Pick(options);
        string relation = Geometry.Words(rel), answer = wantYes ? "yes" : "no";
        return ($"is {Reference(kind, oa)} {relation} {Reference(kind, ob)}?", answer);
    }

    static readonly string[] Kinds = ["color", "shape", "shape_color"];

    /// <summary>How a relative question of the kind names an object: by colour, by shape, or by both.</summary>
    static string Reference(string kind, SceneObject o) => kind switch
    {
        "color" => $"the {o.Color} object",
        "shape" => $"the {o.Shape}",
        _ => $"the {o.Name}",
    };

    /// <summary>
    /// A question of the semantic control: no position needed, so shuffling the vision tokens
    /// should not matter. Presence asks about a present object (yes) or, for no, preferably a
    /// colour and a shape that are both in the image but on different objects, so that one token
    /// per attribute is not enough.
    /// </summary>
    public static (string Text, string Answer) WriteSemantic(string category, IReadOnlyList<SceneObject> objects, bool wantYes, Rng rng)
    {
        var o = rng.Pick(objects);
        switch (category)
        {
            case Categories.SemanticColor:
                return ($"what color is the {o.Shape}?", o.Color);
            case Categories.SemanticShape:
                return ($"what shape is the {o.Color} object?", o.Shape);
            case Categories.SemanticPresence when wantYes:
                return ($"is there {Article(o.Color)} {o.Name} in the image?", "yes");
            case Categories.SemanticPresence:
                var present = objects.Select(x => (x.Color, x.Shape)).ToHashSet();
                var swapped = (from a in objects from b in objects where !present.Contains((a.Color, b.Shape)) select (a.Color, b.Shape)).ToArray();
                var absent = swapped.Length > 0 ? swapped
                    : (from c in Vocabulary.Colors from sh in Vocabulary.Shapes where !present.Contains((c, sh)) select (c, sh)).ToArray();
                var (color, shape) = rng.Pick(absent);
                return ($"is there {Article(color)} {color} {shape} in the image?", "no");
            default:
                throw new ArgumentException($"'{category}' is not a semantic category: use one of {string.Join(", ", Categories.Semantic)}", nameof(category));
        }
    }

    static string Article(string color) => color == "orange" ? "an" : "a";

    /// <summary>A position-free caption naming the objects in random order.</summary>
    public static string Caption(IReadOnlyList<SceneObject> objects, Rng rng)
    {
        var names = rng.Shuffle(objects).Select(o => Article(o.Color) + " " + o.Name).ToArray();
        string list = names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " and " + names[^1];
        return $"there is {list}.";
    }

    /// <summary>
    /// One-hop questions for text-only pretraining, two per object: the colour of a named shape
    /// and the shape of a named colour. They need a lookup in the scene but no geometry.
    /// </summary>
    public static IEnumerable<(string Text, string Answer)> Lookups(IReadOnlyList<SceneObject> objects) =>
        objects.SelectMany(o => new[] { ($"what color is the {o.Shape}?", o.Color), ($"what shape is the {o.Color} object?", o.Shape) });

    /// <summary>
    /// Position lookups for text-only pretraining, two per object: its x and its y, the object named
    /// by colour, shape or both at random (the three ways the relative questions name it), in the
    /// description's units. A relative question is two of these lookups and a comparison.
    /// </summary>
    public static IEnumerable<(string Text, string Answer)> PositionLookups(IReadOnlyList<SceneObject> objects, Rng rng, int cell = 1)
    {
        foreach (var o in objects)
        {
            yield return ($"what is the x of {Reference(rng.Pick(Kinds), o)}?", $"{Coordinate(o.X, cell)}");
            yield return ($"what is the y of {Reference(rng.Pick(Kinds), o)}?", $"{Coordinate(o.Y, cell)}");
        }
    }

    /// <summary>A pixel coordinate in the description's units: the pixel, or the grid cell of <paramref name="cell"/> pixels.</summary>
    static int Coordinate(int pixel, int cell) => pixel / cell;

    /// <summary>
    /// The scene in words for text-only pretraining: positions as pixel coordinates, or with
    /// <paramref name="cell"/> pixels per step as the cell of a coarse grid (the vision tokens' grid
    /// when the cell is the patch size).
    /// </summary>
    public static string Describe(IReadOnlyList<SceneObject> objects, Rng rng, int cell = 1) =>
        string.Join(" ", rng.Shuffle(objects).Select(o => $"the {o.Name} is at x {Coordinate(o.X, cell)} y {Coordinate(o.Y, cell)}."));
}
