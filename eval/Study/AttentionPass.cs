using Pipeline.Data;
using Pipeline.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Eval.Study;

/// <summary>
/// The prompts through the language graph once more with every layer's attention fetched: the
/// entropy over the vision span for the query that predicts the first answer token and for every
/// text token after the image, and the maps of the chosen questions.
/// </summary>
public sealed record AttentionPass(EntropyReport Entropy, IReadOnlyList<AttentionMapRecord> Maps)
{
    public static AttentionPass Run(ModelArtifact artifact, TestSet set, HostTensor embeddings, IReadOnlyList<string> answers, IReadOnlyList<string> mapQuestions, int batchSize)
    {
        int layers = artifact.Manifest.Graph(LanguageGraph).Outputs.Count(o => o.Name.StartsWith("attention_probs_", StringComparison.Ordinal));
        string[] outputs = [ImageStart, .. Enumerable.Range(0, layers).Select(AttentionProbs)];
        int m = (int)embeddings.Shape[1];
        var first = new List<double>();
        var all = new List<double>();
        var paper = new List<double>();
        var maps = new List<AttentionMapRecord>();
        var wanted = mapQuestions.ToHashSet();
        var questionRows = set.QuestionRows;
        for (int start = 0; start < set.Questions.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, set.Questions.Count - start);
            var prompts = set.Prompts.Skip(start).Take(n).ToArray();
            var result = artifact.RunLanguage(GreedyAnswers.Batch(embeddings, questionRows, start, n, permutationOf: null), prompts, outputs);
            var probs = Enumerable.Range(0, layers).Select(l => result[AttentionProbs(l)]).ToArray();
            var starts = result[ImageStart].Longs.Select(s => (int)s).ToArray();
            // The spliced prompt has (length − 1) text tokens plus M image tokens; its last position predicts the answer.
            var last = prompts.Select(p => p.Length - 1 + m - 1).ToArray();
            first.AddRange(AttentionEntropy.PerRow(probs, starts, m, last.Select(q => (IReadOnlyList<int>)[q]).ToArray()));
            var text = starts.Select((s, r) => (IReadOnlyList<int>)Enumerable.Range(s + m, last[r] - (s + m) + 1).ToArray()).ToArray();
            all.AddRange(AttentionEntropy.PerRow(probs, starts, m, text));
            paper.AddRange(AttentionEntropy.PaperStyle(probs, starts, m, text));
            for (int r = 0; r < n; r++)
            {
                var q = set.Questions[start + r];
                if (!wanted.Contains(q.Id)) continue;
                var weights = AttentionMaps.ImageWeights(probs, r, starts[r], m, last[r]);
                var scored = new ScoredQuestion(q.Category, q.NumObjects, q.Answer, answers[start + r]);
                maps.Add(new AttentionMapRecord(q.Id, set.Data.ImagePath(q.Image), q.Text, q.Answer, answers[start + r], scored.Correct,
                    first[^(n - r)], (int)Math.Round(Math.Sqrt(m)), weights));
            }
        }
        return new AttentionPass(new EntropyReport(AttentionEntropy.Summarize(first), AttentionEntropy.Summarize(all), AttentionEntropy.Summarize(paper)), maps);
    }
}
