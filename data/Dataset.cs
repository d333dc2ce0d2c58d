using System.Text.Json;

namespace Pipeline.Data;

/// <summary>A 2DS split read back from disk, checked against its dataset.json.</summary>
public sealed record Dataset(string Directory, DatasetManifest Manifest, IReadOnlyList<Scene> Scenes, IReadOnlyList<Question> Questions, VocabFile Vocab)
{
    public IReadOnlyList<Caption> ReadCaptions() => ReadJsonl<Caption>(Path.Combine(Directory, DatasetWriter.CaptionsFile));

    public IReadOnlyList<CorpusEntry> ReadCorpus() => ReadJsonl<CorpusEntry>(Path.Combine(Directory, DatasetWriter.CorpusFile));

    public string ImagePath(string image) => Path.Combine(Directory, image);

    /// <summary>The semantic control's questions (none in a split written before the control existed).</summary>
    public IReadOnlyList<Question> Semantic { get; init; } = [];

    /// <summary>Loads and verifies a dataset; a folder that is not 2DS, or was altered, gets a one-line error.</summary>
    public static Dataset Load(string dir, bool verifyHashes = true)
    {
        if (!System.IO.Directory.Exists(dir))
            throw new DirectoryNotFoundException($"data folder {dir} does not exist; create it with 'pipeline data --out {dir}'");
        string manifestPath = Path.Combine(dir, DatasetManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new InvalidDataException($"{dir} is not a 2DS dataset (no {DatasetManifest.FileName}); create one with 'pipeline data'");
        var manifest = Parse<DatasetManifest>(manifestPath);
        if (manifest.Generator != DatasetManifest.GeneratorName || manifest.GeneratorVersion > DatasetManifest.CurrentVersion)
            throw new InvalidDataException($"{dir} was written by {manifest.Generator} v{manifest.GeneratorVersion}, which this version cannot read; regenerate it with 'pipeline data'");
        if (verifyHashes) VerifyHashes(dir, manifest);
        var scenes = ReadJsonl<Scene>(Path.Combine(dir, DatasetWriter.ScenesFile));
        var questions = ReadJsonl<Question>(Path.Combine(dir, DatasetWriter.QuestionsFile));
        if (scenes.Count != manifest.Images || questions.Count != manifest.Questions)
            throw new InvalidDataException($"{dir} holds {scenes.Count} scenes and {questions.Count} questions but dataset.json says {manifest.Images} and {manifest.Questions}; regenerate it");
        if (verifyHashes) VerifyImages(dir, manifest, scenes);
        var semantic = manifest.Sha256.ContainsKey(DatasetWriter.SemanticFile) ? ReadJsonl<Question>(Path.Combine(dir, DatasetWriter.SemanticFile)) : [];
        if (semantic.Count != manifest.SemanticQuestions)
            throw new InvalidDataException($"{dir} holds {semantic.Count} semantic questions but dataset.json says {manifest.SemanticQuestions}; regenerate it");
        var vocab = VocabFile.Read(Path.Combine(dir, DatasetWriter.VocabFile));
        return new Dataset(Path.GetFullPath(dir), manifest, scenes, questions, vocab) { Semantic = semantic };
    }

    static void VerifyHashes(string dir, DatasetManifest manifest)
    {
        foreach (var (file, expected) in manifest.Sha256)
        {
            string path = Path.Combine(dir, file);
            if (!File.Exists(path)) throw new InvalidDataException($"{path} is missing; regenerate the dataset with 'pipeline data'");
            if (Sha256.OfFile(path) != expected)
                throw new InvalidDataException($"{path} does not match the SHA-256 in dataset.json (modified or corrupt); regenerate the dataset with 'pipeline data'");
        }
    }

    /// <summary>
    /// The images against dataset.json's one hash over the list of per-image hashes (scene order),
    /// as the writer computed it: a swapped, edited or missing PNG is caught before anything reads it.
    /// </summary>
    static void VerifyImages(string dir, DatasetManifest manifest, IReadOnlyList<Scene> scenes)
    {
        var hashes = new string[scenes.Count];
        Parallel.For(0, scenes.Count, i =>
        {
            string path = Path.Combine(dir, scenes[i].Image);
            hashes[i] = File.Exists(path) ? Sha256.OfFile(path) : "";
        });
        int missing = Array.IndexOf(hashes, "");
        if (missing >= 0)
            throw new InvalidDataException($"{Path.Combine(dir, scenes[missing].Image)} is missing; regenerate the dataset with 'pipeline data'");
        if (Sha256.OfBytes(System.Text.Encoding.ASCII.GetBytes(string.Join("\n", hashes))) != manifest.ImagesSha256)
            throw new InvalidDataException($"an image in {Path.Combine(dir, "images")} differs from the one generated (the images' SHA-256 does not match dataset.json); regenerate the dataset with 'pipeline data'");
    }

    static T Parse<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json.Compact)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message}); regenerate the dataset with 'pipeline data'");
        }
    }

    static IReadOnlyList<T> ReadJsonl<T>(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path} is missing; regenerate the dataset with 'pipeline data'");
        var rows = new List<T>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length == 0) continue;
            try
            {
                rows.Add(JsonSerializer.Deserialize<T>(text, Json.Compact) ?? throw new InvalidDataException($"{path}:{line} is null"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{line} is not valid JSON ({e.Message}); regenerate the dataset");
            }
        }
        return rows;
    }
}
