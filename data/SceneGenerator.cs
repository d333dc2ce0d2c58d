namespace Pipeline.Data;

/// <summary>Everything generated for one image.</summary>
public sealed record GeneratedItem(Scene Scene, IReadOnlyList<Question> Questions, Caption Caption, IReadOnlyList<CorpusEntry> Corpus, IReadOnlyList<Question> Semantic);

/// <summary>
/// Generates image i of a split from its own random stream, so items can be made in any order,
/// in parallel, and always come out the same.
/// </summary>
public sealed class SceneGenerator(DatasetOptions options)
{
    const int MaxResamples = 10_000;
    readonly DatasetOptions _o = options;
    readonly Dictionary<int, (string, string, int)[]> _metaObjects = BuildMetaObjects(options);

    public static string ImageName(int index) => $"images/{index:D5}.png";

    public GeneratedItem Generate(int index)
    {
        var rng = Rng.For(_o.Stream, _o.EffectiveSeed, index);
        var items = ObjectsFor(index, rng);
        for (int attempt = 0; attempt < MaxResamples; attempt++)
        {
            var objects = ScenePlacer.TryPlace(items, _o.ImageSize, rng);
            if (objects == null) continue;
            var questions = TryQuestions(index, objects, rng);
            if (questions == null) continue;
            var scene = new Scene(ImageName(index), objects.Count, objects);
            var caption = new Caption(scene.Image, QuestionWriter.Caption(objects, rng));
            var corpus = questions.Select(q => new CorpusEntry(QuestionWriter.Describe(objects, rng), q.Text, q.Answer, q.Category)).ToArray();
            return new GeneratedItem(scene, questions, caption, corpus, SemanticQuestions(index, objects));
        }
        throw new InvalidOperationException($"could not lay out image {index} with answerable questions in {MaxResamples} tries; use a larger --image-size");
    }

    /// <summary>Test: the meta-category's fixed objects. Train/val: a fresh set of 2–6 objects.</summary>
    (string Color, string Shape, int Size)[] ObjectsFor(int index, Rng rng)
    {
        if (_o.Split == Split.Test)
            return _metaObjects[DatasetOptions.MetaCategories[index / _o.ImagesPerMetaCategory]];
        int n = rng.Next(DatasetOptions.MetaCategories[0], _o.MaxObjects + 1);
        return RandomObjects(n, _o.ImageSize, rng);
    }

    static Dictionary<int, (string, string, int)[]> BuildMetaObjects(DatasetOptions o) =>
        DatasetOptions.MetaCategories.ToDictionary(n => n, n => RandomObjects(n, o.ImageSize, Rng.For(o.Stream + "-meta", o.EffectiveSeed, n)));

    /// <summary>n objects with distinct colours and distinct shapes.</summary>
    static (string, string, int)[] RandomObjects(int n, int imageSize, Rng rng)
    {
        var colors = rng.Shuffle(Vocabulary.Colors);
        var shapes = rng.Shuffle(Vocabulary.Shapes);
        return Enumerable.Range(0, n).Select(i => (colors[i], shapes[i], ScenePlacer.RandomObjectSize(imageSize, rng))).ToArray();
    }

    Question[]? TryQuestions(int index, IReadOnlyList<SceneObject> objects, Rng rng)
    {
        int k = _o.QuestionsPerCategory;
        var questions = new List<Question>(Categories.All.Length * k);
        for (int c = 0; c < Categories.All.Length; c++)
        {
            string category = Categories.All[c];
            var seen = new HashSet<string>();
            for (int j = 0; j < k; j++)
            {
                // Alternating targets make yes/no exactly balanced per category over even counts.
                bool wantYes = ((long)index * k + j + c) % 2 == 0;
                var q = WriteDistinct(category, objects, wantYes, rng, seen);
                if (q == null) return null;
                questions.Add(new Question($"{index:D5}-{category}-{j}", ImageName(index), objects.Count, category, q.Value.Text, q.Value.Answer));
            }
        }
        return questions.ToArray();
    }

    /// <summary>
    /// The semantic control's questions, from their own random stream: the scene, its spatial
    /// questions, caption and corpus are what they were before the control existed.
    /// </summary>
    Question[] SemanticQuestions(int index, IReadOnlyList<SceneObject> objects)
    {
        var rng = Rng.For(_o.Stream + "-semantic", _o.EffectiveSeed, index);
        int k = _o.QuestionsPerCategory;
        var questions = new List<Question>(Categories.Semantic.Length * k);
        for (int c = 0; c < Categories.Semantic.Length; c++)
        {
            string category = Categories.Semantic[c];
            for (int j = 0; j < k; j++)
            {
                bool wantYes = ((long)index * k + j + c) % 2 == 0;
                var (text, answer) = QuestionWriter.WriteSemantic(category, objects, wantYes, rng);
                questions.Add(new Question($"{index:D5}-{category}-{j}", ImageName(index), objects.Count, category, text, answer));
            }
        }
        return questions.ToArray();
    }

    static (string Text, string Answer)? WriteDistinct(string category, IReadOnlyList<SceneObject> objects, bool wantYes, Rng rng, HashSet<string> seen)
    {
        (string Text, string Answer)? q = null;
        for (int tries = 0; tries < 8; tries++)
        {
            q = QuestionWriter.TryWrite(category, objects, wantYes, rng);
            if (q == null || seen.Add(q.Value.Text)) return q;
        }
        return q; // small scenes have few distinct questions: a repeat is still a valid one
    }
}
