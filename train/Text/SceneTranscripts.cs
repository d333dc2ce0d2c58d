using Pipeline.Data;

namespace Pipeline.Train.Text;

/// <summary>
/// Stage 0b's training examples: one sequence per scene, the scene in words followed by every
/// question about it (its 2DS questions and two lookups per object) with their answers, in random
/// order. Many answers per sequence give the language model a reason to look things up in the
/// scene: with one question per sequence it learned to copy a value that is present, not to
/// retrieve the one asked for.
/// </summary>
public static class SceneTranscripts
{
    const string Stream = "0b-transcripts";

    /// <param name="maxTokens">The language model's longest sequence; a scene with more questions than fit is split over several sequences, each with the scene.</param>
    /// <param name="cell">Pixels per coordinate step in the scene descriptions (1: pixel coordinates).</param>
    /// <param name="positionLookups">Also ask each object's x and y, the two lookups a relative question combines.</param>
    public static IReadOnlyList<Example> Build(Dataset split, Prompts prompts, ulong seed, int maxTokens, int cell = 1, bool positionLookups = false)
    {
        var questions = split.Questions.ToLookup(q => q.Image);
        var examples = new List<Example>(split.Scenes.Count);
        for (int i = 0; i < split.Scenes.Count; i++)
        {
            var scene = split.Scenes[i];
            var rng = Rng.For(Stream, seed, i);
            string context = QuestionWriter.Describe(scene.Objects, rng, cell);
            var asked = questions[scene.Image].Select(q => (q.Text, q.Answer)).Concat(QuestionWriter.Lookups(scene.Objects));
            if (positionLookups) asked = asked.Concat(QuestionWriter.PositionLookups(scene.Objects, rng, cell));
            var pairs = rng.Shuffle(asked);
            foreach (var chunk in Fit(pairs, context, prompts, maxTokens))
                examples.Add(prompts.TextTranscript(context, chunk));
        }
        return examples;
    }

    static IEnumerable<List<(string, string)>> Fit(IReadOnlyList<(string Question, string Answer)> pairs, string context, Prompts prompts, int maxTokens)
    {
        int contextLength = prompts.TextTranscript(context, []).Ids.Length;
        var chunk = new List<(string, string)>();
        int length = contextLength;
        foreach (var pair in pairs)
        {
            int pairLength = prompts.TextTranscript(string.Empty, [pair]).Ids.Length - 1;  // less the start token
            if (contextLength + pairLength > maxTokens)
                throw new ArgumentException($"a scene and one question take {contextLength + pairLength} tokens, more than the language model's {maxTokens}");
            if (chunk.Count > 0 && length + pairLength > maxTokens)
            {
                yield return chunk;
                (chunk, length) = (new List<(string, string)>(), contextLength);
            }
            chunk.Add(pair);
            length += pairLength;
        }
        if (chunk.Count > 0) yield return chunk;
    }
}
