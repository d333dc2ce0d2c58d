using System.Text;
using System.Text.Json;

namespace Pipeline.Data;

/// <summary>Summary of a written dataset.</summary>
public sealed record DatasetSummary(string Directory, DatasetManifest Manifest, TimeSpan Elapsed);

/// <summary>Writes a 2DS split: images, JSONL files, vocabulary and dataset.json, atomically.</summary>
public static class DatasetWriter
{
    public const string ScenesFile = "scenes.jsonl", QuestionsFile = "questions.jsonl",
        CaptionsFile = "captions.jsonl", CorpusFile = "corpus.jsonl", VocabFile = "vocab.json", SemanticFile = "semantic.jsonl";

    /// <summary>Generates the split into <paramref name="outDir"/>; reports images done through <paramref name="progress"/>.</summary>
    public static DatasetSummary Write(DatasetOptions options, string outDir, bool force = false, IProgress<int>? progress = null, int? threads = null)
    {
        options.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        DatasetManifest? manifest = null;
        AtomicDirectory.Write(outDir, force, tmp => manifest = Build(options, tmp, progress, threads ?? Environment.ProcessorCount));
        return new DatasetSummary(Path.GetFullPath(outDir), manifest!, clock.Elapsed);
    }

    static DatasetManifest Build(DatasetOptions o, string dir, IProgress<int>? progress, int threads)
    {
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        var generator = new SceneGenerator(o);
        var items = new GeneratedItem[o.Images];
        var imageHashes = new string[o.Images];
        int done = 0;
        Parallel.For(0, o.Images, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var item = generator.Generate(i);
            byte[] png = ShapeRenderer.RenderPng(item.Scene, o.ImageSize);
            File.WriteAllBytes(Path.Combine(dir, item.Scene.Image), png);
            imageHashes[i] = Sha256.OfBytes(png);
            items[i] = item;
            int n = Interlocked.Increment(ref done);
            if (n % 250 == 0 || n == o.Images) progress?.Report(n);
        });

        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ScenesFile] = WriteJsonl(dir, ScenesFile, items.Select(x => x.Scene)),
            [QuestionsFile] = WriteJsonl(dir, QuestionsFile, items.SelectMany(x => x.Questions)),
            [SemanticFile] = WriteJsonl(dir, SemanticFile, items.SelectMany(x => x.Semantic)),
        };
        if (o.Split != Split.Test)
        {
            hashes[CaptionsFile] = WriteJsonl(dir, CaptionsFile, items.Select(x => x.Caption));
            hashes[CorpusFile] = WriteJsonl(dir, CorpusFile, items.SelectMany(x => x.Corpus));
        }
        hashes[VocabFile] = WriteText(dir, VocabFile, Vocabulary.ToJson(Vocabulary.BuildTokens(o.ImageSize)));

        var questions = items.SelectMany(x => x.Questions).ToArray();
        var manifest = new DatasetManifest(
            DatasetManifest.GeneratorName, DatasetManifest.CurrentVersion, o.SplitName,
            o.EffectiveSeed, o.ImageSize, o.Images, questions.Length, o.QuestionsPerCategory,
            new SortedDictionary<string, int>(items.GroupBy(x => x.Scene.NumObjects).ToDictionary(g => g.Key.ToString(), g => g.Count())),
            new SortedDictionary<string, int>(questions.GroupBy(q => q.Category).ToDictionary(g => g.Key, g => g.Count())),
            hashes,
            Sha256.OfBytes(Encoding.ASCII.GetBytes(string.Join("\n", imageHashes))),
            items.Sum(x => x.Semantic.Count));
        WriteText(dir, DatasetManifest.FileName, JsonSerializer.Serialize(manifest, Json.Indented));
        return manifest;
    }

    static string WriteJsonl<T>(string dir, string name, IEnumerable<T> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows) text.Append(JsonSerializer.Serialize(row, Json.Compact)).Append('\n');
        return WriteText(dir, name, text.ToString());
    }

    static string WriteText(string dir, string name, string text)
    {
        byte[] bytes = new UTF8Encoding(false).GetBytes(text);
        File.WriteAllBytes(Path.Combine(dir, name), bytes);
        return Sha256.OfBytes(bytes);
    }
}
