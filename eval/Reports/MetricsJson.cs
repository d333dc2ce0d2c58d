using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Eval.Reports;

/// <summary>
/// metrics.json: the numbers behind a report, for machines (CI gates, comparisons between runs).
/// Property names snake_case (the pipeline's JSON convention), indented, NaN and ±Infinity written as
/// strings rather than failing. Dictionary keys are written as given: they are data (category names
/// such as "color.abs", object counts), and renaming them would break lookups.
/// </summary>
public static class MetricsJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Serialises any record, dictionary or anonymous object and writes it atomically.</summary>
    public static void Write<T>(string path, T metrics) => AtomicFile.WriteAllText(path, Serialize(metrics) + "\n");

    public static string Serialize<T>(T metrics) => JsonSerializer.Serialize(metrics, Options);

    public static T Read<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} holds JSON null.");
}
