using System.Text.Json;

namespace Pipeline.Runtime;

/// <summary>Reading and writing manifest.json, hashing files and checking them against the manifest.</summary>
public static class ArtifactFiles
{
    public static string ManifestPath(string dir) => Path.Combine(dir, ArtifactManifest.FileName);

    public static void WriteManifest(string dir, ArtifactManifest manifest) =>
        File.WriteAllText(ManifestPath(dir), JsonSerializer.Serialize(manifest, Json.Indented) + "\n");

    /// <summary>Reads manifest.json; a missing, unreadable or too new one gets a one-line error.</summary>
    public static ArtifactManifest ReadManifest(string dir)
    {
        string path = ManifestPath(dir);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"artifact folder {dir} does not exist");
        if (!File.Exists(path)) throw new InvalidDataException($"{dir} is not a model artifact (no {ArtifactManifest.FileName}); make one with 'pipeline export'");
        ArtifactManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ArtifactManifest>(File.ReadAllText(path), Json.Indented);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a manifest this version can read ({e.Message})");
        }
        if (manifest is null) throw new InvalidDataException($"{path} is empty");
        if (manifest.FormatVersion > ArtifactManifest.CurrentFormatVersion)
            throw new InvalidDataException($"{path} has format version {manifest.FormatVersion}, newer than this pipeline reads ({ArtifactManifest.CurrentFormatVersion}); upgrade the pipeline");
        if (manifest.FormatVersion < 1) throw new InvalidDataException($"{path} has no valid format version ({manifest.FormatVersion})");
        return manifest;
    }

    /// <summary>Size and SHA-256 of each file, paths relative to <paramref name="dir"/> with '/' separators, sorted.</summary>
    public static IReadOnlyList<ArtifactFile> Describe(string dir, IEnumerable<string> relativePaths) =>
        relativePaths
            .Select(p => p.Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(p =>
            {
                string full = Path.Combine(dir, p);
                return new ArtifactFile(p, new FileInfo(full).Length, Pipeline.Core.Sha256.OfFile(full));
            })
            .ToArray();

    /// <summary>Every file under <paramref name="dir"/> except manifest.json, as the manifest lists them.</summary>
    public static IReadOnlyList<ArtifactFile> DescribeAll(string dir) =>
        Describe(dir, Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f))
            .Where(p => p != ArtifactManifest.FileName));

    /// <summary>Throws InvalidDataException naming the first file that is missing, of another size or hash.</summary>
    public static void VerifyFiles(string dir, ArtifactManifest manifest)
    {
        foreach (var file in manifest.Files)
        {
            string path = Path.Combine(dir, file.Path);
            if (!File.Exists(path)) throw new InvalidDataException($"{file.Path} is missing from {dir}; re-export the artifact");
            long bytes = new FileInfo(path).Length;
            if (bytes != file.Bytes) throw new InvalidDataException($"{file.Path} has {bytes} bytes but the manifest says {file.Bytes}: the file was changed after export");
            if (Pipeline.Core.Sha256.OfFile(path) != file.Sha256) throw new InvalidDataException($"{file.Path} does not match its SHA-256 in the manifest: the file was changed after export");
        }
    }
}
