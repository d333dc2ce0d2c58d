namespace Pipeline.Runtime;

/// <summary>The element types the artifacts use.</summary>
public enum ElementType
{
    Float32,
    Int64,
}

/// <summary>Names of element types as the manifest writes them (NumPy's spelling).</summary>
public static class ElementTypes
{
    public static string ToName(this ElementType type) => type switch
    {
        ElementType.Float32 => "float32",
        ElementType.Int64 => "int64",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an artifact element type."),
    };

    public static ElementType Parse(string name) => name switch
    {
        "float32" => ElementType.Float32,
        "int64" => ElementType.Int64,
        _ => throw new InvalidDataException($"unknown element type '{name}': expected float32 or int64"),
    };
}

/// <summary>
/// A dense row-major tensor in managed memory: what goes into and comes out of a session, and what
/// a test-vector file holds. Holds either floats or longs, never both.
/// </summary>
public sealed class HostTensor
{
    readonly float[]? _floats;
    readonly long[]? _longs;

    HostTensor(ElementType type, long[] shape, float[]? floats, long[]? longs)
    {
        long count = shape.Aggregate(1L, (a, d) => d >= 0 ? a * d : throw new ArgumentException($"Negative dimension in shape ({string.Join(", ", shape)}).", nameof(shape)));
        long length = floats?.LongLength ?? longs!.LongLength;
        if (count != length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {count} elements but the data has {length}.", nameof(shape));
        Type = type;
        Shape = shape;
        _floats = floats;
        _longs = longs;
    }

    public static HostTensor Float(long[] shape, float[] data) => new(ElementType.Float32, shape, data, null);

    public static HostTensor Int64(long[] shape, long[] data) => new(ElementType.Int64, shape, null, data);

    public ElementType Type { get; }

    public long[] Shape { get; }

    public long Count => _floats?.LongLength ?? _longs!.LongLength;

    public float[] Floats => _floats ?? throw new InvalidOperationException($"This tensor holds {Type.ToName()}, not float32.");

    public long[] Longs => _longs ?? throw new InvalidOperationException($"This tensor holds {Type.ToName()}, not int64.");

    /// <summary>Every element as a double, whatever the element type (for comparisons and statistics).</summary>
    public double At(long i) => _floats is not null ? _floats[i] : _longs![i];

    public string ShapeText => $"({string.Join(", ", Shape)})";

    public override string ToString() => $"{Type.ToName()} {ShapeText}";
}
