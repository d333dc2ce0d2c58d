namespace Pipeline.Data;

/// <summary>The six 2DS question categories: colour, shape or both, absolute or relative.</summary>
public static class Categories
{
    public const string ColorAbs = "color.abs", ColorRel = "color.rel", ShapeAbs = "shape.abs",
        ShapeRel = "shape.rel", ShapeColorAbs = "shape_color.abs", ShapeColorRel = "shape_color.rel";

    public static readonly string[] All = [ColorAbs, ColorRel, ShapeAbs, ShapeRel, ShapeColorAbs, ShapeColorRel];

    public static bool IsRelative(string category) => category.EndsWith(".rel", StringComparison.Ordinal);

    /// <summary>"color", "shape" or "shape_color".</summary>
    public static string Kind(string category) => category[..category.IndexOf('.')];
}

/// <summary>An image edge: the extreme object along one axis.</summary>
public enum Direction { Top, Bottom, Left, Right }

/// <summary>A relation between two objects along one axis.</summary>
public enum Relation { Above, Below, LeftOf, RightOf }
