using Pipeline.Eval;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Tests.Eval.Study;

/// <summary>
/// Table 4 and Fig. 7 read attention where they say they do: at the query that predicts the first
/// answer token. Checked one question at a time against a direct computation, on vision tokens that
/// differ (so that attention over them is not uniform and a query one position off would show).
/// </summary>
public sealed class AttentionQueryTests
{
    const int Questions = 6;

    [Test]
    public void EntropiesAndMapsAreTakenAtTheQueryThatPredictsTheFirstAnswerToken()
    {
        using var artifact = ModelArtifact.Open(TinyStudy.Artifact("norm-multilayer"), new SessionSettings(2));
        var set = TestSet.Load(TinyStudy.TestData, artifact).Limited(Questions);
        var real = VisionPass.Run(artifact, set.Pixels, 32).Embeddings;
        var rng = new Random(11);
        var tokens = HostTensor.Float((long[])real.Shape.Clone(), real.Floats.Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray());
        int m = (int)tokens.Shape[1];
        var rows = set.QuestionRows;
        var answers = GreedyAnswers.Run(artifact, tokens, rows, set.Prompts, maxNewTokens: 1);
        var pass = AttentionPass.Run(artifact, set, tokens, answers.Texts, [set.Questions[0].Id], batchSize: 4);

        int layers = artifact.Manifest.Graph(LanguageGraph).Outputs.Count(o => o.Name.StartsWith("attention_probs_", StringComparison.Ordinal));
        string[] outputs = [Logits, ImageStart, .. Enumerable.Range(0, layers).Select(AttentionProbs)];
        var atQuery = new List<double>();
        bool shiftShows = false;
        for (int i = 0; i < Questions; i++)
        {
            var result = artifact.RunLanguage(GreedyAnswers.Batch(tokens, rows, i, 1, null), [set.Prompts[i]], outputs);
            int start = (int)result[ImageStart].Longs[0];
            int query = set.Prompts[i].Length - 1 + m - 1;  // the documented position: the prompt's last token after the splice
            var logits = result[Logits];
            int vocab = (int)logits.Shape[2];
            var row = logits.Floats.AsSpan(query * vocab, vocab).ToArray();
            long predicted = Array.IndexOf(row, row.Max());
            if (answers.Ids[i].Length > 0)
                Assert.That(predicted, Is.EqualTo(answers.Ids[i][0]), $"question {i}: the query predicts the first answer token");

            var probs = Enumerable.Range(0, layers).Select(l => result[AttentionProbs(l)]).ToArray();
            double direct = Direct(probs, start, m, query), early = Direct(probs, start, m, query - 1);
            atQuery.Add(direct);
            shiftShows |= Math.Abs(direct - early) > 1e-4;

            if (i == 0)
            {
                var map = pass.Maps.Single();
                var expected = Enumerable.Range(0, m).Select(k => probs.Average(p => HeadsMean(p, query, start, m, k))).ToArray();
                Assert.That(map.Weights.Select(w => (double)w), Is.EqualTo(expected).Within(1e-5), "Fig. 7's map is the answer query's attention");
            }
        }
        Assert.That(shiftShows, Is.True, "attention differs between neighbouring queries here, so a shifted query would be caught");
        Assert.That(pass.Entropy.FirstAnswerToken.Mean, Is.EqualTo(atQuery.Average()).Within(1e-6));
    }

    /// <summary>Normalised entropy over the image span, per head and layer, averaged: straight from the tensors.</summary>
    static double Direct(IReadOnlyList<HostTensor> layers, int start, int m, int query)
    {
        var values = new List<double>();
        foreach (var p in layers)
        {
            int heads = (int)p.Shape[1], s = (int)p.Shape[2];
            for (int h = 0; h < heads; h++)
            {
                var span = Enumerable.Range(start, m).Select(k => (double)p.Floats[(h * s + query) * s + k]).ToArray();
                double mass = span.Sum();
                values.Add(-span.Select(x => x / mass).Where(x => x > 0).Sum(x => x * Math.Log(x)) / Math.Log(m));
            }
        }
        return values.Average();
    }

    /// <summary>Token k's share of the image span's attention at the query, averaged over heads.</summary>
    static double HeadsMean(HostTensor p, int query, int start, int m, int k)
    {
        int heads = (int)p.Shape[1], s = (int)p.Shape[2];
        return Enumerable.Range(0, heads).Average(h =>
        {
            double mass = Enumerable.Range(start, m).Sum(j => (double)p.Floats[(h * s + query) * s + j]);
            return p.Floats[(h * s + query) * s + start + k] / mass;
        });
    }
}
