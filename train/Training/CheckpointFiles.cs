using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Data;
using Pipeline.Train.Model;

namespace Pipeline.Train.Training;

/// <summary>
/// What a variant's checkpoint carries beside its weights, so that export and evaluation need
/// nothing else: the model config (with the norm constants) and the vocabulary.
/// </summary>
public static class CheckpointFiles
{
    public const string ConfigFile = "config.json", VocabFile = "vocab.json";

    static readonly JsonSerializerOptions Options = new(Json.Indented) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    public static void Write(string dir, ModelConfig config, VocabFile vocab)
    {
        File.WriteAllText(Path.Combine(dir, ConfigFile), JsonSerializer.Serialize(config, Options));
        File.WriteAllText(Path.Combine(dir, VocabFile), Vocabulary.ToJson(vocab.Tokens));
    }

    /// <summary>Reads a checkpoint's config; a missing or unreadable one gets a one-line error.</summary>
    public static ModelConfig ReadConfig(string dir)
    {
        string path = Path.Combine(dir, ConfigFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{dir} is not a model checkpoint (no {ConfigFile}); train one with 'pipeline train'");
        return ReadConfigFile(path);
    }

    /// <summary>A config.json anywhere (a checkpoint's, or one written for a model trained elsewhere).</summary>
    public static ModelConfig ReadConfigFile(string path)
    {
        try
        {
            return (JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} is empty")).Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path} is not a config this version can read ({e.Message}); retrain with 'pipeline train'");
        }
    }

    public static void WriteJson<T>(string path, T value)
    {
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(value, Options));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>
    /// The norm adapter's buffers travel with the weights; they must be the constants the config
    /// records, or an export would describe another model than the one it holds.
    /// </summary>
    public static void RequireNormConstants(string source, VisionLanguageModel model)
    {
        if (model.Config.Norm is not { } norm || !model.Config.Variant.UsesNormAdapter()) return;
        var state = model.state_dict();
        float mean = state["norm_adapter.target_mean"].item<float>(), max = state["norm_adapter.max_norm"].item<float>();
        if (mean != (float)norm.TargetMean || max != (float)norm.MaxNorm)
            throw new InvalidDataException($"{source}: the norm adapter's buffers (target_mean {mean}, max_norm {max}) differ from the config's norm ({norm.TargetMean}, {norm.MaxNorm}); use the config the weights were trained with");
    }
}
