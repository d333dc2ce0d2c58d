using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Data;

/// <summary>The JSON settings of every file the pipeline writes: snake_case, stable, UTF-8.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Compact = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };
}
