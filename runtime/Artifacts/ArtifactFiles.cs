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
            manifest = JsonSerializer.Deserialize<ArtifactManifest>(File.ReadAllText(path), Strict);
        }
        catch (JsonException e) when (MissingMembers(e.Message) is string members)
        {
            throw new InvalidDataException($"{path} lacks {members}; re-export the artifact with 'pipeline export'");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a manifest this version can read ({OneLine(e.Message)}); re-export the artifact with 'pipeline export'");
        }
        if (manifest is null) throw new InvalidDataException($"{path} is empty");
        if (manifest.FormatVersion > ArtifactManifest.CurrentFormatVersion)
            throw new InvalidDataException($"{path} has format version {manifest.FormatVersion}, newer than this pipeline reads ({ArtifactManifest.CurrentFormatVersion}); upgrade the pipeline");
        if (manifest.FormatVersion < 1) throw new InvalidDataException($"{path} has no valid format version ({manifest.FormatVersion})");
        CheckStructure(path, manifest);
        return manifest;
    }

    /// <summary>
    /// A manifest must name every member its records declare (nullable ones may be null), with no
    /// null where the type has none: a deleted or nulled member is refused, not read as a default.
    /// </summary>
    static readonly JsonSerializerOptions Strict = new(Json.Indented) { RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true };

    static string OneLine(string message) => message.ReplaceLineEndings(" ");

    /// <summary>The members System.Text.Json names as missing ("… missing required properties including: 'prompt'."), or null.</summary>
    static string? MissingMembers(string message)
    {
        const string marker = "missing required properties including:";
        int at = message.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : message[(at + marker.Length)..].Trim().TrimEnd('.').Replace("'", "", StringComparison.Ordinal);
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

    /// <summary>
    /// The manifest's structure, before any file is read: every member a reader uses is present,
    /// every listed path stays inside the folder, and every file the runtime or the validator opens
    /// (graphs, vocabulary, test vectors) is listed, so its hash is checked.
    /// </summary>
    static void CheckStructure(string path, ArtifactManifest m)
    {
        string fix = "re-export the artifact with 'pipeline export'";
        // Absent and null members are refused while reading (Strict); what is left: null list elements, and empty values.
        var missing = NullElements(m, "$").ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{path} lacks {string.Join(", ", missing.Take(5))}; {fix}");
        if (m.Name.Length == 0) missing.Add("name");
        if (m.Variant.Length == 0) missing.Add("variant");
        if (m.Graphs.Count == 0 || m.Graphs.Any(g => g.Name.Length == 0 || g.File.Length == 0)) missing.Add("graphs");
        if (m.Files.Count == 0) missing.Add("files");
        if (m.ModelConfig.ValueKind is not JsonValueKind.Object
            || !new[] { "vision", "language", "variant" }.All(k => m.ModelConfig.TryGetProperty(k, out var v) && v.ValueKind is not JsonValueKind.Null))
            missing.Add("model_config (vision, language, variant)");
        if (m.Prompt.Template.Length == 0 || m.Prompt.VocabFile.Length == 0) missing.Add("prompt");
        if (missing.Count > 0) throw new InvalidDataException($"{path} lacks {string.Join(", ", missing)}; {fix}");

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in m.Files)
        {
            if (!IsInside(file.Path)) throw new InvalidDataException($"{path} lists '{file.Path}', a path outside the artifact folder; {fix}");
            if (!listed.Add(file.Path)) throw new InvalidDataException($"{path} lists '{file.Path}' twice; {fix}");
        }
        if (AdapterProblem(m) is string problem) throw new InvalidDataException($"{path}: {problem}; {fix}");

        // A set covers whole graphs (one vector per input and per output of each graph it feeds), and
        // every graph is covered: a dropped vector would go unchecked.
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in m.TestData.Sets)
        {
            var fed = set.Inputs.Select(r => r.Graph).Concat(set.Outputs.Select(r => r.Graph)).ToHashSet(StringComparer.Ordinal);
            var graphs = m.Graphs.Where(g => fed.Contains(g.Name)).ToArray();
            if (graphs.Length != fed.Count)
                throw new InvalidDataException($"{path}: test set {set.Folder} names a graph the manifest does not list; {fix}");
            var inputs = graphs.SelectMany(g => g.Inputs.Select(t => (g.Name, t.Name))).ToHashSet();
            var outputs = graphs.SelectMany(g => g.Outputs.Select(t => (g.Name, t.Name))).ToHashSet();
            if (!inputs.SetEquals(set.Inputs.Select(r => (r.Graph, r.Tensor))) || set.Inputs.Count != inputs.Count)
                throw new InvalidDataException($"{path}: test set {set.Folder} does not hold exactly one input vector per graph input; {fix}");
            if (!outputs.SetEquals(set.Outputs.Select(r => (r.Graph, r.Tensor))) || set.Outputs.Count != outputs.Count)
                throw new InvalidDataException($"{path}: test set {set.Folder} does not hold exactly one expected output per graph output; {fix}");
            covered.UnionWith(fed);
        }
        // (No sets at all is the validator's to refuse: the runtime can still load such an artifact.)
        if (m.TestData.Sets.Count > 0 && m.Graphs.FirstOrDefault(g => !covered.Contains(g.Name)) is { } untested)
            throw new InvalidDataException($"{path}: no test set checks graph '{untested.Name}'; {fix}");
        var used = m.Graphs.Select(g => g.File).Append(m.Prompt.VocabFile)
            .Concat(m.TestData.Sets.SelectMany(t => t.Inputs.Concat(t.Outputs).Select(r => t.Folder + "/" + r.File)));
        foreach (string file in used)
            if (!listed.Contains(file)) throw new InvalidDataException($"{path} does not list {file} in files[], so its hash would go unchecked; {fix}");
    }

    /// <summary>Where the adapters' description contradicts itself or the graphs' signatures; null when it holds together.</summary>
    static string? AdapterProblem(ArtifactManifest m)
    {
        var a = m.Adapters;
        if (a.EncoderLayers.Count != (a.Multilayer ? 4 : 1) || a.EncoderLayers.Any(l => l < 1))
            return $"adapters.encoder_layers lists {a.EncoderLayers.Count} layers for a {(a.Multilayer ? "multilayer adapter (4 taps)" : "single feature layer")}";
        if (a.NormAdapter != (a.TargetMean is > 0 && a.MaxNorm is > 0 && a.RmsNormEps is > 0))
            return "adapters.norm_adapter disagrees with target_mean, max_norm and rms_norm_eps (positive numbers exactly when there is a norm adapter)";
        if (a.PoolTokens is int k && a.NumImageTokens != k * k)
            return $"adapters.num_image_tokens {a.NumImageTokens} is not pool_tokens² ({k * k})";
        foreach (var g in m.Graphs)
            foreach (var t in g.Inputs.Concat(g.Outputs).Where(t => t.Name == ArtifactNames.ImageEmbeddings))
                if (t.Shape.Count != 3 || t.Shape[1].Size != a.NumImageTokens)
                    return $"graph '{g.Name}' passes image_embeddings of shape ({string.Join(", ", t.Shape)}), not (batch, {a.NumImageTokens}, width) as adapters.num_image_tokens says";
        return null;
    }

    /// <summary>Where a list of the manifest holds a null element (the deserializer checks members, not elements).</summary>
    static IEnumerable<string> NullElements(object node, string at)
    {
        foreach (var property in node.GetType().GetProperties().Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(node);
            if (value is string or null || value.GetType().IsPrimitive || value is JsonElement) continue;
            string here = $"{at}.{property.Name}";
            if (value is System.Collections.IEnumerable list)
            {
                int i = 0;
                foreach (var element in list)
                {
                    if (element is null) yield return $"{here}[{i}]";
                    else if (element.GetType().Namespace == typeof(ArtifactManifest).Namespace)
                        foreach (var inner in NullElements(element, $"{here}[{i}]")) yield return inner;
                    i++;
                }
            }
            else if (value.GetType().Namespace == typeof(ArtifactManifest).Namespace)
                foreach (var inner in NullElements(value, here)) yield return inner;
        }
    }

    /// <summary>A relative path of plain names that cannot leave the folder it is resolved in.</summary>
    static bool IsInside(string relative) =>
        relative.Length > 0 && !Path.IsPathRooted(relative) && !relative.Contains('\\')
        && relative.Split('/').All(part => part.Length > 0 && part != "." && part != "..");

    /// <summary>
    /// Throws InvalidDataException naming the first file that is missing, of another size or hash,
    /// reached through a link, or present but not listed in the manifest.
    /// </summary>
    public static void VerifyFiles(string dir, ArtifactManifest manifest)
    {
        var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (string entry in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(dir, entry).Replace('\\', '/');
            if (new FileInfo(entry).LinkTarget is not null)
                throw new InvalidDataException($"{relative} in {dir} is a link; an artifact holds its files itself, so re-export it");
            if (File.Exists(entry) && relative != ArtifactManifest.FileName && !listed.Contains(relative))
                throw new InvalidDataException($"{relative} in {dir} is not listed in the manifest; remove it or re-export the artifact");
        }
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
