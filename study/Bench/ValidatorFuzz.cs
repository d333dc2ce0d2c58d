using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Runtime;

namespace Pipeline.Study.Bench;

/// <summary>How one fuzz case ended: refused in one line, validated (pass or numeric fail), or crashed.</summary>
public enum FuzzOutcome { Refused, Passed, NumericFailure, Crashed }

/// <summary>One mutated artifact and what validation made of it.</summary>
/// <param name="MustRefuse">The mutation breaks the artifact's structure (or points outside it): anything but a refusal is a finding.</param>
public sealed record FuzzCase(int Index, string Kind, string Mutation, bool MustRefuse, FuzzOutcome Outcome, string Message)
{
    public bool IsFinding => Outcome == FuzzOutcome.Crashed || (MustRefuse && Outcome != FuzzOutcome.Refused);
}

/// <summary>A fuzz run's tally; <see cref="Findings"/> lists every crash and every broken artifact that was not refused.</summary>
public sealed record FuzzSummary(int Cases, IReadOnlyDictionary<FuzzOutcome, int> Outcomes, IReadOnlyDictionary<string, int> Kinds, IReadOnlyList<FuzzCase> Findings);

/// <summary>
/// Mutates a good artifact in ways a broken download, a careless edit or a hostile sender would,
/// and runs <see cref="ArtifactValidator"/> on each copy: flipped bytes in any file, manifest
/// members deleted, nulled, retyped or stretched, paths that climb out of the folder (to a canary
/// file with the right size and hash), unlisted and symlinked files. Every case must end in a
/// one-line refusal or a report, never a crash, and no structurally broken copy may pass.
/// </summary>
public static class ValidatorFuzz
{
    /// <summary>The adapters' members that are null where the adapter is absent: deleting or nulling one is not always a structural break.</summary>
    static readonly HashSet<string> Optional = new(StringComparer.Ordinal)
    {
        "target_mean", "max_norm", "rms_norm_eps", "pool_tokens",
    };

    public static FuzzSummary Run(string artifact, int cases, int seed, SessionSettings settings, IProgress<string>? progress = null)
    {
        if (cases < 1) throw new ArgumentException($"--cases must be positive (got {cases})");
        artifact = Path.GetFullPath(artifact);
        ArtifactValidator.Validate(artifact, settings);  // the original must be good, or every finding is noise
        string root = Path.Combine(Path.GetTempPath(), $"pipeline-fuzz-{Guid.NewGuid():N}");
        var results = new List<FuzzCase>(cases);
        var rng = new Random(seed);
        try
        {
            for (int i = 0; i < cases; i++)
            {
                string dir = Path.Combine(root, $"case{i}");
                CopyFolder(artifact, dir);
                var (kind, mutation, mustRefuse) = Mutate(dir, root, rng);
                var (outcome, message) = Validate(dir, settings);
                results.Add(new FuzzCase(i, kind, mutation, mustRefuse, outcome, message));
                Directory.Delete(dir, recursive: true);
                if ((i + 1) % 100 == 0) progress?.Report($"{i + 1}/{cases} cases, {results.Count(r => r.IsFinding)} findings");
            }
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        return new FuzzSummary(cases,
            results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count()),
            results.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count()),
            results.Where(r => r.IsFinding).ToArray());
    }

    static (FuzzOutcome, string) Validate(string dir, SessionSettings settings)
    {
        try
        {
            var report = ArtifactValidator.Validate(dir, settings);
            return (report.Passed ? FuzzOutcome.Passed : FuzzOutcome.NumericFailure, "");
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or JsonException or UnauthorizedAccessException)
        {
            return (e.Message.Contains('\n') ? FuzzOutcome.Crashed : FuzzOutcome.Refused, e.Message);
        }
        catch (Exception e)
        {
            return (FuzzOutcome.Crashed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    static (string Kind, string Mutation, bool MustRefuse) Mutate(string dir, string root, Random rng)
    {
        switch (rng.Next(11))
        {
            case 10:
                return Resigned(dir, rng);
            case 0:
            case 1:
                return FlipByte(dir, rng);
            case 2:
                return PathTrick(dir, root, rng);
            case 3:
                return FileSystemTrick(dir, root, rng);
            default:
                return ManifestEdit(dir, rng);
        }
    }

    /// <summary>One byte of one file changed: every file is hashed, so every case must be refused.</summary>
    static (string, string, bool) FlipByte(string dir, Random rng)
    {
        var files = ListedFiles(dir);
        string file = files[rng.Next(files.Length)];
        var bytes = File.ReadAllBytes(file);
        int at = rng.Next(bytes.Length);
        bytes[at] ^= (byte)(1 + rng.Next(255));
        File.WriteAllBytes(file, bytes);
        return ("byte", $"{Path.GetRelativePath(dir, file)}[{at}]", true);
    }

    /// <summary>A path in the manifest pointed outside the folder, at a canary copy with the same bytes (so size and hash agree).</summary>
    static (string, string, bool) PathTrick(string dir, string root, Random rng)
    {
        var manifest = ReadManifest(dir);
        var files = manifest["files"]!.AsArray();
        int index = rng.Next(files.Count);
        string original = files[index]!["path"]!.GetValue<string>();
        string outside = Path.Combine(root, $"canary-{Guid.NewGuid():N}");
        Directory.CreateDirectory(outside);
        string canary = Path.Combine(outside, Path.GetFileName(original));
        File.Copy(Path.Combine(dir, original), canary);
        string up = Path.GetRelativePath(dir, canary).Replace('\\', '/');  // ../canary-…/NAME
        string[] tricks = [up, canary, "./" + up, $"{ArtifactNames.TestSetFolder(ArtifactNames.LanguageGraph)}/../{up}", $"{Path.GetFileName(dir)}/../../{Path.GetFileName(outside)}/{Path.GetFileName(original)}"];
        string trick = tricks[rng.Next(tricks.Length)];
        files[index]!["path"] = trick;
        // Point whatever read the original at the canary too, so that only confinement can refuse it.
        RetargetReferences(manifest, original, trick);
        WriteManifest(dir, manifest);
        return ("path", $"{original} → {trick}", true);
    }

    /// <summary>An unlisted file added, or a listed file or folder replaced by a symlink to an identical copy outside.</summary>
    static (string, string, bool) FileSystemTrick(string dir, string root, Random rng)
    {
        var files = ListedFiles(dir);
        switch (rng.Next(3))
        {
            case 0:
                string extra = Path.Combine(dir, rng.Next(2) == 0 ? "extra.onnx" : Path.Combine(ArtifactNames.TestSetFolder(ArtifactNames.LanguageGraph), "output_99.pb"));
                File.WriteAllBytes(extra, [1, 2, 3]);
                return ("filesystem", $"unlisted {Path.GetRelativePath(dir, extra)}", true);
            case 1:
            {
                string file = files[rng.Next(files.Length)];
                string copy = Path.Combine(root, $"outside-{Guid.NewGuid():N}-{Path.GetFileName(file)}");
                File.Copy(file, copy);
                File.Delete(file);
                File.CreateSymbolicLink(file, copy);
                return ("filesystem", $"{Path.GetRelativePath(dir, file)} a symlink out", true);
            }
            default:
            {
                string folder = Path.Combine(dir, ArtifactNames.TestSetFolder(ArtifactNames.LanguageGraph));
                string copy = Path.Combine(root, $"outside-{Guid.NewGuid():N}");
                CopyFolder(folder, copy);
                Directory.Delete(folder, recursive: true);
                Directory.CreateSymbolicLink(folder, copy);
                return ("filesystem", $"{ArtifactNames.TestSetFolder(ArtifactNames.LanguageGraph)}/ a symlink out", true);
            }
        }
    }

    /// <summary>
    /// A content change whose file size and hash are rewritten in the manifest, as a careless
    /// re-packager would: a vocabulary one token short, a token id outside it, a mask value of 7.
    /// Hashes cannot catch these; the checks against the graphs must.
    /// </summary>
    static (string, string, bool) Resigned(string dir, Random rng)
    {
        var manifest = ReadManifest(dir);
        string changed;
        switch (rng.Next(3))
        {
            case 0:
            {
                string vocabPath = Path.Combine(dir, ArtifactNames.VocabFile);
                var vocab = JsonNode.Parse(File.ReadAllText(vocabPath))!;
                var tokens = vocab["tokens"]!.AsArray();
                tokens.RemoveAt(tokens.Count - 1);
                File.WriteAllText(vocabPath, vocab.ToJsonString(), new UTF8Encoding(false));
                changed = ArtifactNames.VocabFile;
                break;
            }
            default:
            {
                bool ids = rng.Next(2) == 0;
                string tensor = ids ? ArtifactNames.InputIds : ArtifactNames.AttentionMask;
                static bool Feeds(JsonNode? input, string tensor) => input!["tensor"]!.GetValue<string>() == tensor;
                var set = manifest["test_data"]!["sets"]!.AsArray().First(s => s!["inputs"]!.AsArray().Any(i => Feeds(i, tensor)))!;
                string file = set["inputs"]!.AsArray().First(i => Feeds(i, tensor))!["file"]!.GetValue<string>();
                changed = $"{set["folder"]!.GetValue<string>()}/{file}";
                var (name, t) = TensorProtoFile.Read(Path.Combine(dir, changed));
                var values = t.Longs.ToArray();
                values[rng.Next(values.Length)] = ids ? (rng.Next(2) == 0 ? 1_000_000 : -1) : 7;
                TensorProtoFile.Write(Path.Combine(dir, changed), name, HostTensor.Int64(t.Shape, values));
                break;
            }
        }
        var entry = manifest["files"]!.AsArray().First(f => f!["path"]!.GetValue<string>() == changed)!;
        entry["bytes"] = new FileInfo(Path.Combine(dir, changed)).Length;
        entry["sha256"] = Pipeline.Core.Sha256.OfFile(Path.Combine(dir, changed));
        WriteManifest(dir, manifest);
        return ("resigned", $"{changed} changed and re-hashed", true);
    }

    /// <summary>One member of the manifest deleted, nulled, given another type, or given an extreme value.</summary>
    static (string, string, bool) ManifestEdit(string dir, Random rng)
    {
        var manifest = ReadManifest(dir);
        var nodes = new List<(JsonNode Parent, string? Key, int Index, string Path)>();
        Collect(manifest, "$", nodes);
        var (parent, key, index, path) = nodes[rng.Next(nodes.Count)];
        var current = key is null ? parent[index] : parent[key];
        // Free-form records (training's scores, the model config as JSON) and prose describe the model; they do not load it.
        bool informational = path.StartsWith("$.training.", StringComparison.Ordinal) || path.StartsWith("$.model_config.", StringComparison.Ordinal) || key == "description";
        bool optional = informational || (key is not null && Optional.Contains(key));
        string op;
        bool mustRefuse;
        switch (rng.Next(6))
        {
            case 0 when key is not null:
                parent.AsObject().Remove(key);
                op = "deleted";
                mustRefuse = !optional;
                break;
            case 1:
                Set(parent, key, index, null);
                op = "null";
                mustRefuse = !optional;
                break;
            case 2:
                // Another JSON type where the schema wants this one.
                JsonNode replacement = current is JsonValue v && v.TryGetValue<string>(out _) ? JsonValue.Create(12345) : JsonValue.Create("text");
                if (current is JsonArray or JsonObject) replacement = JsonValue.Create(7);
                Set(parent, key, index, replacement);
                op = $"retyped to {replacement.ToJsonString()}";
                mustRefuse = !informational;
                break;
            case 3 when current is JsonArray array && array.Count > 0:
                array.RemoveAt(rng.Next(array.Count));
                op = "one element removed";
                // A shorter list of dims, files, outputs or layers no longer describes the graphs.
                mustRefuse = !informational;
                break;
            case 4 when current is JsonValue number && number.TryGetValue<double>(out _):
                double[] extremes = [1e9, -1, 0, 2147483648, double.MaxValue];
                double value = extremes[rng.Next(extremes.Length)];
                Set(parent, key, index, JsonValue.Create(value));
                op = $"set to {value}";
                mustRefuse = false;  // some numbers (tolerances, scores) may legitimately take such a value: crashes only
                break;
            default:
                // Text that still parses: trailing garbage in a string.
                if (current is JsonValue s && s.TryGetValue<string>(out var text))
                {
                    Set(parent, key, index, JsonValue.Create(text + "\u0000../"));
                    op = "string extended";
                    mustRefuse = false;
                }
                else
                {
                    Set(parent, key, index, new JsonObject());
                    op = "replaced by {}";
                    mustRefuse = !informational;
                }
                break;
        }
        WriteManifest(dir, manifest);
        return ("manifest", $"{path} {op}", mustRefuse);
    }

    static void Collect(JsonNode node, string path, List<(JsonNode, string?, int, string)> into)
    {
        if (node is JsonObject obj)
            foreach (var (k, child) in obj.ToArray())
            {
                into.Add((obj, k, -1, $"{path}.{k}"));
                if (child is not null) Collect(child, $"{path}.{k}", into);
            }
        else if (node is JsonArray array)
            for (int i = 0; i < array.Count; i++)
            {
                into.Add((array, null, i, $"{path}[{i}]"));
                if (array[i] is { } child) Collect(child, $"{path}[{i}]", into);
            }
    }

    static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (key is not null) parent[key] = value;
        else parent[index] = value;
    }

    /// <summary>Every string in the manifest equal to <paramref name="from"/> (graph files, test vector files) becomes <paramref name="to"/>.</summary>
    static void RetargetReferences(JsonNode node, string from, string to)
    {
        string name = Path.GetFileName(from);
        if (node is JsonObject obj)
        {
            foreach (var (k, child) in obj.ToArray())
                if (child is JsonValue v && v.TryGetValue<string>(out var text) && (text == from || text == name) && k != "path") obj[k] = to;
                else if (child is not null) RetargetReferences(child, from, to);
        }
        else if (node is JsonArray array)
            foreach (var child in array)
                if (child is not null) RetargetReferences(child, from, to);
    }

    /// <summary>Every file of the artifact but its manifest.</summary>
    static string[] ListedFiles(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != ArtifactManifest.FileName).ToArray();

    static JsonNode ReadManifest(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, ArtifactManifest.FileName)))!;

    static void WriteManifest(string dir, JsonNode manifest) =>
        File.WriteAllText(Path.Combine(dir, ArtifactManifest.FileName), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
