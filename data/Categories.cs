namespace Pipeline.Data;

/// <summary>The six 2DS question categories (colour, shape or both, absolute or relative) and the semantic control's three.</summary>
public static class Categories
{
    public const string ColorAbs = "color.abs", ColorRel = "color.rel", ShapeAbs = "shape.abs",
        ShapeRel = "shape.rel", ShapeColorAbs = "shape_color.abs", ShapeColorRel = "shape_color.rel";

    public static readonly string[] All = [ColorAbs, ColorRel, ShapeAbs, ShapeRel, ShapeColorAbs, ShapeColorRel];

    /// <summary>
    /// The semantic control: questions a bag of tokens can answer (is an object there, the colour of
    /// a named shape, the shape of a named colour). Written in 2DS's own words, so the vocabulary
    /// and every model trained on it stay as they are.
    /// </summary>
    public const string SemanticPresence = "semantic.presence", SemanticColor = "semantic.color", SemanticShape = "semantic.shape";

    public static readonly string[] Semantic = [SemanticPresence, SemanticColor, SemanticShape];

    public static bool IsRelative(string category) => category.EndsWith(".rel", StringComparison.Ordinal);

    public static bool IsSemantic(string category) => category.StartsWith("semantic.", StringComparison.Ordinal);

    /// <summary>Answered yes or no: the relative questions and presence.</summary>
    public static bool IsYesNo(string category) => IsRelative(category) || category == SemanticPresence;

    /// <summary>"color", "shape" or "shape_color".</summary>
    public static string Kind(string category) => category[..category.IndexOf('.')];
}

/// <summary>An image edge: the extreme object along one axis.</summary>
public enum Direction { Top, Bottom, Left, Right }

/// <summary>A relation between two objects along one axis.</summary>
public enum Relation { Above, Below, LeftOf, RightOf }
