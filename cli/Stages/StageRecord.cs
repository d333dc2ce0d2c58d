using System.Text.Json;
using Pipeline.Data;

namespace Pipeline.Cli.Stages;

/// <summary>A file a stage produced, with its content hash.</summary>
public sealed record StageOutput(string Path, string Sha256);

/// <summary>
/// state/NAME.json: what a finished stage was run with (its parameters and the hashes of the
/// records of the stages it reads) and the hashes of what it wrote. No timestamps, so the same
/// inputs and outputs give the same bytes: a downstream stamp of this file moves only when its
/// content does (DVC's rule, on top of MSBuild's timestamps).
/// </summary>
public sealed record StageRecord(string Stage, SortedDictionary<string, string> Inputs, IReadOnlyList<StageOutput> Outputs)
{
    public const string Folder = RunLayout.StateFolder;

    public static string PathOf(string runDir, string stage) => System.IO.Path.Combine(runDir, Folder, stage + ".json");

    /// <summary>Written before a stage starts: an interrupted stage resumes only when it was started with the same inputs.</summary>
    public static string PendingPathOf(string runDir, string stage) => System.IO.Path.Combine(runDir, Folder, stage + ".pending.json");

    public static StageRecord? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<StageRecord>(File.ReadAllText(path), Json.Indented);
        }
        catch (JsonException)
        {
            return null; // damaged: the stage runs again
        }
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json.Indented) + "\n");
        File.Move(tmp, path, overwrite: true);
    }

    public bool SameInputs(SortedDictionary<string, string> inputs) => Inputs.Count == inputs.Count && Inputs.All(p => inputs.TryGetValue(p.Key, out var v) && v == p.Value);
}
