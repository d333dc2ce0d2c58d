using System.Text.Json;
using Pipeline.Data;

namespace Pipeline.Eval.Study;

/// <summary>The files an evaluation writes into its folder, all at once (temp folder, then rename).</summary>
public static class EvalFiles
{
    /// <summary>NaN spreads (one seed, one question) must survive a round trip.</summary>
    static readonly JsonSerializerOptions Indented = new(Json.Indented) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    static readonly JsonSerializerOptions Compact = new(Json.Compact) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public const string EvalFile = "eval.json", PredictionsFile = "predictions.jsonl", NormsFile = "norms.json";

    public static void Write(string dir, ArtifactEvaluator.Result result, bool force) =>
        AtomicDirectory.Write(dir, force, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, EvalFile), JsonSerializer.Serialize(result.Evaluation, Indented) + "\n");
            File.WriteAllLines(Path.Combine(tmp, PredictionsFile), result.Predictions.Select(p => JsonSerializer.Serialize(p, Compact)));
            File.WriteAllText(Path.Combine(tmp, NormsFile), JsonSerializer.Serialize(result.Norms, Compact));
        });

    /// <summary>Reads an evaluation folder's eval.json; a missing or unreadable one gets a one-line fix.</summary>
    public static VariantEvaluation Read(string dir)
    {
        string path = Path.Combine(dir, EvalFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{dir} holds no {EvalFile}; run 'pipeline eval' first");
        try
        {
            return JsonSerializer.Deserialize<VariantEvaluation>(File.ReadAllText(path), Indented) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not an evaluation this version can read ({e.Message}); run 'pipeline eval' again");
        }
    }

    public static NormSamples ReadNorms(string dir) =>
        JsonSerializer.Deserialize<NormSamples>(File.ReadAllText(Path.Combine(dir, NormsFile)), Compact)
        ?? throw new InvalidDataException($"{Path.Combine(dir, NormsFile)} is empty");
}
