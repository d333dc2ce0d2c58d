using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Runtime;

/// <summary>A tensor dimension: a fixed size, or a symbol such as "batch" that a runtime chooses.</summary>
[JsonConverter(typeof(DimJsonConverter))]
public readonly record struct Dim
{
    Dim(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size; null for a symbolic dimension.</summary>
    public long? Size { get; }

    /// <summary>The symbol; null for a fixed dimension.</summary>
    public string? Symbol { get; }

    public bool IsSymbolic => Symbol is not null;

    public static Dim Fixed(long size) => size >= 0 ? new(size, null) : throw new ArgumentOutOfRangeException(nameof(size), size, "A dimension cannot be negative.");

    public static Dim Named(string symbol) =>
        !string.IsNullOrWhiteSpace(symbol) ? new(null, symbol) : throw new ArgumentException("A symbolic dimension needs a name.", nameof(symbol));

    public static implicit operator Dim(long size) => Fixed(size);

    public static implicit operator Dim(string symbol) => Named(symbol);

    /// <summary>Does a concrete size fit this dimension (any size fits a symbol)?</summary>
    public bool Accepts(long size) => IsSymbolic || Size == size;

    public override string ToString() => Symbol ?? Size!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Writes a dimension as a JSON number (fixed) or string (symbolic), as ONNX tools print shapes.</summary>
public sealed class DimJsonConverter : JsonConverter<Dim>
{
    /// <summary>The largest fixed dimension a manifest may declare: larger ones are refused before anything allocates.</summary>
    public const long MaxSize = int.MaxValue;

    public override Dim Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out long size) && size is >= 0 and <= MaxSize => Dim.Fixed(size),
        JsonTokenType.Number => throw new JsonException($"a dimension must be a whole number from 0 to {MaxSize}"),
        JsonTokenType.String when !string.IsNullOrWhiteSpace(reader.GetString()) => Dim.Named(reader.GetString()!),
        var t => throw new JsonException($"a dimension is a number or a name, not {t}"),
    };

    public override void Write(Utf8JsonWriter writer, Dim value, JsonSerializerOptions options)
    {
        if (value.Symbol is { } symbol) writer.WriteStringValue(symbol);
        else writer.WriteNumberValue(value.Size!.Value);
    }
}
