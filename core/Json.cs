using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Core;

/// <summary>The JSON settings of every file the pipeline writes: snake_case, stable, UTF-8.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Compact = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        NewLine = "\n",
    };

    public static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };
}
