using System.Text.Json;
using Pipeline.Data;

namespace Pipeline.Train.Foundations;

/// <summary>
/// A foundation model folder, loaded only after every file it lists matched its size and SHA-256:
/// the pretrained vision encoder (stage 0a) or language model (stage 0b) that runs start from.
/// </summary>
public sealed class Foundation
{
    Foundation(string dir, FoundationManifest manifest, string id)
    {
        Dir = dir;
        Manifest = manifest;
        Id = id;
    }

    public string Dir { get; }
    public FoundationManifest Manifest { get; }

    /// <summary>SHA-256 of manifest.json, which holds every file's hash: the model's identity in stage records.</summary>
    public string Id { get; }

    public string FilePath(string name) => Path.Combine(Dir, name);

    public double Score(string key) => Manifest.Scores.TryGetValue(key, out double v)
        ? v
        : throw new InvalidDataException($"{Path.Combine(Dir, FoundationManifest.FileName)} has no score '{key}'; rebuild the model with 'pipeline pretrain'");

    /// <summary>
    /// The identity <see cref="Id"/> of the model in <paramref name="dir"/> without verifying its files:
    /// what a stage record keys on; loading verifies them when the model is used.
    /// </summary>
    public static string IdOf(string dir)
    {
        string path = Path.Combine(Path.GetFullPath(dir), FoundationManifest.FileName);
        return File.Exists(path)
            ? Sha256.OfFile(path)
            : throw new FileNotFoundException($"{path} is missing: {dir} is not a foundation model folder; restore the folder (git checkout) or rebuild it with 'pipeline pretrain'");
    }

    /// <summary>Reads and verifies a foundation folder; every failure is one line naming the file and the fix.</summary>
    public static Foundation Load(string dir, string kind)
    {
        dir = Path.GetFullPath(dir);
        string path = Path.Combine(dir, FoundationManifest.FileName);
        string fix = "restore the folder (git checkout) or rebuild it with 'pipeline pretrain'";
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: {dir} is not a foundation model folder; {fix}");
        byte[] bytes = File.ReadAllBytes(path);
        FoundationManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<FoundationManifest>(bytes, Json.Compact);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid foundation manifest ({e.Message.Split('.')[0]}); {fix}");
        }
        if (m is null || m.Files is null || m.Kind is null || m.Config is null || m.Scores is null || m.ProducedBy is null)
            throw new InvalidDataException($"{path} lacks required members (kind, config, files, produced_by, scores); {fix}");
        if (m.Format != FoundationManifest.CurrentFormat)
            throw new InvalidDataException($"{path} has format {m.Format}, this build reads {FoundationManifest.CurrentFormat}; {fix}");
        if (m.Kind != kind)
            throw new InvalidDataException($"{path} holds a {m.Kind}, not a {kind}; point at the {kind} folder");
        foreach (var f in m.Files) Verify(dir, f, fix);
        return new Foundation(dir, m, Sha256.OfBytes(bytes));
    }

    static void Verify(string dir, FoundationFile f, string fix)
    {
        if (string.IsNullOrEmpty(f.Path) || Path.IsPathRooted(f.Path) || f.Path.Contains("..") || f.Path.Contains('/') || f.Path.Contains('\\'))
            throw new InvalidDataException($"{Path.Combine(dir, FoundationManifest.FileName)} lists '{f.Path}', not a plain file name in the folder; {fix}");
        string file = Path.Combine(dir, f.Path);
        if (!File.Exists(file)) throw new FileNotFoundException($"{file} is listed in {FoundationManifest.FileName} but missing; {fix}");
        long size = new FileInfo(file).Length;
        if (size != f.Bytes) throw new InvalidDataException($"{file} has {size} bytes, its manifest says {f.Bytes}: the file is damaged or was replaced; {fix}");
        if (Sha256.OfFile(file) != f.Sha256) throw new InvalidDataException($"{file} does not match its SHA-256 in {FoundationManifest.FileName}: the file is damaged or was replaced; {fix}");
    }

    /// <summary>Writes a foundation folder atomically: the files copied in, hashed, and the manifest beside them.</summary>
    public static Foundation Write(string dir, string kind, string preset, string config, string vocab,
        IReadOnlyList<(string Source, string Name)> files, FoundationProvenance producedBy, IReadOnlyDictionary<string, double> scores, bool finished, bool force)
    {
        AtomicDirectory.Write(dir, force, tmp =>
        {
            var listed = new List<FoundationFile>();
            foreach (var (source, name) in files)
            {
                string target = Path.Combine(tmp, name);
                File.Copy(source, target);
                listed.Add(new FoundationFile(name, new FileInfo(target).Length, Sha256.OfFile(target)));
            }
            var manifest = new FoundationManifest(FoundationManifest.CurrentFormat, kind, preset, config, vocab, listed, producedBy,
                new SortedDictionary<string, double>(scores.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal), finished);
            File.WriteAllText(Path.Combine(tmp, FoundationManifest.FileName), JsonSerializer.Serialize(manifest, Json.Indented) + "\n");
        });
        return Load(dir, kind);
    }
}
