using Pipeline.Eval;
using Pipeline.Eval.Study;
using Pipeline.Runtime;

namespace Pipeline.Tests.Eval.Study;

/// <summary>
/// Table 1 uses the permutation it claims to: on a tiny artifact whose vision tokens differ,
/// answers under a permutation are the answers on tokens shuffled beforehand, and not the
/// unshuffled ones.
/// </summary>
public sealed class PermutationUseTests
{
    [Test]
    public void ThePermutedBatchIsThePreShuffledTokensAndChangesTheLogits()
    {
        using var artifact = ModelArtifact.Open(TinyStudy.Artifact("baseline"), new SessionSettings(2));
        var set = TestSet.Load(TinyStudy.TestData, artifact);
        // Tokens that differ from each other, so that where each one sits matters.
        var real = VisionPass.Run(artifact, set.Pixels, 32).Embeddings;
        var rng = new Random(7);
        var tokens = HostTensor.Float((long[])real.Shape.Clone(), real.Floats.Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray());
        int m = (int)tokens.Shape[1], n = 8;
        Func<int, int[]> perm = i => TokenPermutation.ForQuestion(m, 1, i);

        var rows = set.QuestionRows;
        var permuted = GreedyAnswers.Batch(tokens, rows, 0, n, perm);
        var plain = GreedyAnswers.Batch(tokens, rows, 0, n, null);
        for (int i = 0; i < n; i++)
        {
            // By hand: the question's image row, shuffled by the question's own permutation.
            var byHand = TokenPermutation.Permute(HostRows.Gather(tokens, [set.ImageRow[set.Questions[i].Image]]), perm(i));
            Assert.That(HostRows.Gather(permuted, [i]).Floats, Is.EqualTo(byHand.Floats), $"question {i}");
        }
        var prompts = set.Prompts.Take(n).ToArray();
        var shuffledLogits = artifact.RunLanguage(permuted, prompts, ArtifactNames.Logits)[ArtifactNames.Logits].Floats;
        var plainLogits = artifact.RunLanguage(plain, prompts, ArtifactNames.Logits)[ArtifactNames.Logits].Floats;
        double largest = shuffledLogits.Zip(plainLogits).Max(p => Math.Abs(p.First - p.Second));
        Assert.That(largest, Is.GreaterThan(1e-3), "the language model sees where each token is: the shuffle reaches its output");

        // The answers under the permutation are the answers on tokens shuffled beforehand, one row per question.
        var preShuffled = HostRows.Concat(Enumerable.Range(0, n).Select(i => TokenPermutation.Permute(HostRows.Gather(tokens, [rows[i]]), perm(i))).ToArray());
        var underPermutation = GreedyAnswers.Run(artifact, tokens, rows.Take(n).ToArray(), prompts, batchSize: 3, permutationOf: perm);
        var onShuffled = GreedyAnswers.Run(artifact, preShuffled, Enumerable.Range(0, n).ToArray(), prompts, batchSize: 5);
        Assert.That(underPermutation.Ids, Is.EqualTo(onShuffled.Ids));
    }

    [Test]
    public void PerQuestionPermutationsAreBijectionsThatDifferBetweenQuestionsAndRepeat()
    {
        var perms = Enumerable.Range(0, 50).Select(i => TokenPermutation.ForQuestion(64, 3, i)).ToArray();
        foreach (var p in perms) Assert.That(p.Order(), Is.EqualTo(Enumerable.Range(0, 64)));
        Assert.That(perms.Select(p => string.Join(",", p)).Distinct().Count(), Is.EqualTo(50), "a fresh permutation per question");
        Assert.That(TokenPermutation.ForQuestion(64, 3, 7), Is.EqualTo(perms[7]), "reproducible");
        Assert.That(TokenPermutation.ForQuestion(64, 4, 7), Is.Not.EqualTo(perms[7]), "another seed, another draw");
    }

    [Test]
    public void PermuteTokensGivesEachRowItsOwnOrder()
    {
        var x = HostTensor.Float([2, 3, 1], [0, 1, 2, 10, 11, 12]);
        var y = HostRows.PermuteTokens(x, [[2, 0, 1], [1, 2, 0]]);
        Assert.That(y.Floats, Is.EqualTo(new float[] { 2, 0, 1, 11, 12, 10 }));
        Assert.That(() => HostRows.PermuteTokens(x, [[0, 0, 1], [0, 1, 2]]), Throws.ArgumentException.With.Message.Contains("Not a permutation"));
    }
}
