namespace Pipeline.Train.Text;

/// <summary>A token sequence and which of its tokens the loss reads (the rest are context).</summary>
public sealed record Example(long[] Ids, bool[] Target);

/// <summary>
/// The text formats of every stage. One place, so training, evaluation and (later) the exported
/// artifact's prompt agree token for token.
/// </summary>
public sealed class Prompts(WordVocab vocab)
{
    public const string QuestionTemplate = "<bos> <image> question : {question} answer :";

    /// <summary>Stage 0b prompt: the scene in words, then the question.</summary>
    public long[] TextQuestion(string context, string question) =>
        [vocab.BosId, .. vocab.Encode(context), .. QuestionTokens(question)];

    /// <summary>
    /// Stage 0b training sequence: the scene in words, then question after question with its answer,
    /// each answer closed by the end token. The first question reads exactly as
    /// <see cref="TextQuestion"/>; every answer and end token is a target.
    /// </summary>
    public Example TextTranscript(string context, IEnumerable<(string Question, string Answer)> pairs)
    {
        var ids = new List<long> { vocab.BosId };
        var target = new List<bool> { false };
        void Add(IEnumerable<long> tokens, bool isTarget)
        {
            foreach (var t in tokens) { ids.Add(t); target.Add(isTarget); }
        }
        Add(vocab.Encode(context), false);
        foreach (var (question, answer) in pairs)
        {
            Add(QuestionTokens(question), false);
            Add([.. vocab.Encode(answer), vocab.EosId], true);
        }
        return new Example([.. ids], [.. target]);
    }

    /// <summary>Stage 1–2 and evaluation prompt: the image placeholder, then the question.</summary>
    public long[] ImageQuestion(string question) =>
        [vocab.BosId, vocab.ImageId, .. QuestionTokens(question)];

    /// <summary>"question : {question} answer :", the part every question prompt shares.</summary>
    long[] QuestionTokens(string question) =>
        [.. vocab.Encode("question :"), .. vocab.Encode(question), .. vocab.Encode("answer :")];

    /// <summary>Stage 1 prompt: just the image; the caption is the target.</summary>
    public long[] ImageCaption() => [vocab.BosId, vocab.ImageId];

    /// <summary>Prompt + answer + end of sequence, the loss on the answer and the end only.</summary>
    public Example WithAnswer(long[] prompt, string answer)
    {
        long[] target = [.. vocab.Encode(answer), vocab.EosId];
        return new Example([.. prompt, .. target], [.. prompt.Select(_ => false), .. target.Select(_ => true)]);
    }
}
