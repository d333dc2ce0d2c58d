using Pipeline.Data;
using Pipeline.Runtime;

namespace Pipeline.Eval.Study;

/// <summary>A 2DS split as the artifact sees it: every image preprocessed once, every question tokenized.</summary>
public sealed record TestSet(Dataset Data, HostTensor Pixels, IReadOnlyDictionary<string, int> ImageRow, IReadOnlyList<long[]> Prompts)
{
    public IReadOnlyList<Question> Questions => Data.Questions;

    /// <summary>Question i asks about image row QuestionRows[i] of <see cref="Pixels"/>.</summary>
    public IReadOnlyList<int> QuestionRows => Questions.Select(q => ImageRow[q.Image]).ToArray();

    /// <summary>The same images with other questions about them (the semantic control's).</summary>
    public TestSet WithQuestions(IReadOnlyList<Question> questions, PromptTokenizer tokenizer) =>
        this with { Data = Data with { Questions = questions }, Prompts = questions.Select(q => tokenizer.EncodePrompt(q.Text)).ToArray() };

    /// <summary>The first <paramref name="limit"/> questions (all of them when null or larger).</summary>
    public TestSet Limited(int? limit) =>
        limit is int n && n < Questions.Count ? this with { Data = Data with { Questions = Questions.Take(n).ToArray() }, Prompts = Prompts.Take(n).ToArray() } : this;

    /// <summary>Every question answered by <paramref name="answerer"/> from this split's pixels.</summary>
    public AnswerRun Answer(IAnswerer answerer, int batchSize = GreedyAnswers.BatchSize) =>
        GreedyAnswers.FromPixels(answerer, Pixels, QuestionRows, Prompts, batchSize);

    public static TestSet Load(string dataDir, ModelArtifact artifact)
    {
        if (!Directory.Exists(dataDir)) throw new DirectoryNotFoundException($"data folder {dataDir} does not exist; make one with 'pipeline data --split test --out {dataDir}'");
        if (!File.Exists(Path.Combine(dataDir, DatasetManifest.FileName)))
            throw new InvalidDataException($"{dataDir} is not a 2DS split (no {DatasetManifest.FileName}); make one with 'pipeline data --split test --out {dataDir}'");
        var data = Dataset.Load(dataDir);
        int size = artifact.Manifest.Preprocessing.ImageSize;
        if (data.Manifest.ImageSize != size)
            throw new InvalidDataException($"{dataDir} has {data.Manifest.ImageSize}px images but the artifact takes {size}px; generate the split with --image-size {size}");
        var pixels = artifact.Preprocessor.Load(data.Scenes.Select(s => data.ImagePath(s.Image)).ToArray());
        var rows = data.Scenes.Select((s, i) => (s.Image, i)).ToDictionary(p => p.Image, p => p.i);
        var prompts = data.Questions.Select(q => artifact.Tokenizer.EncodePrompt(q.Text)).ToArray();
        return new TestSet(data, pixels, rows, prompts);
    }

    /// <summary>The chance rate per category, as training reports it.</summary>
    public IReadOnlyDictionary<string, double> Chance() => Scoring.Chance(Questions);
}
