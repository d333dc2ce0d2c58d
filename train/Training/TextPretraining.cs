using System.Text.Json;
using Pipeline.Data;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Result of stage 0b: the LM's weights, its text-QA accuracy and its embedding-norm statistics.</summary>
public sealed record TextPretrainResult(string LanguageModelPath, double QuestionAccuracy, IReadOnlyDictionary<string, double> PerCategory, NormConstants Measured, double SamplesPerS);

/// <summary>
/// Stage 0b: the language model learns the questions from scenes described in words (coordinates
/// as numbers), so its embeddings have text-like norms and it can answer once it sees positions.
/// </summary>
public static class TextPretraining
{
    public const string Stage = "0b-text", LanguageModelFile = "language_model.dat", NormFile = "norm_constants.json";
    const int MaxAnswerTokens = 3;

    public static TextPretrainResult Run(RunContext ctx, int? stopAfter = null)
    {
        var p = ctx.Preset;
        string dir = ctx.StageDir(Stage);
        torch.manual_seed((long)p.Seed + 1);
        using var lm = new LanguageModel(p.Language(ctx.Vocab.Count));
        lm.to(ctx.Device);
        var examples = Examples(ctx);
        var val = ValEntries(ctx);
        int lastStep = 0;
        var sampler = new BatchSampler(examples.Count, p.Text0b.BatchSize, p.Seed, Stage);
        var job = new StageJob(Stage, dir, lm, lm.parameters().ToArray(), p.Text0b,
            step =>
            {
                lastStep = step;
                using var batch = TokenBatch.From(sampler.Indices(step).Select(i => examples[(int)i]).ToArray(), ctx.Vocab.PadId);
                var ids = batch.Ids.to(ctx.Device);
                var mask = batch.Mask.to(ctx.Device);
                var logits = Logits(lm, ids, mask);
                // Next-token loss on the whole text as well as on the answers: every token a target.
                var everyToken = ids.MaskedFill(mask.Eq(0), TokenBatch.IgnoreIndex);
                return AnswerLoss.Compute(logits, batch.Labels.to(ctx.Device)).Plus(AnswerLoss.Compute(logits, everyToken));
            },
            p.CheckpointEvery,
            tmp =>
            {
                lm.save(Path.Combine(tmp, LanguageModelFile));
                File.WriteAllText(Path.Combine(tmp, NormFile), JsonSerializer.Serialize(MeasureNorms(lm), Json.Indented));
                LogValCurve(lm, ctx, val, dir, lastStep + 1);
            });
        var state = StageRunner.Run(job, ctx.Observer, stopAfter);
        var (accuracy, perCategory) = Evaluate(lm, ctx, val);
        var norms = MeasureNorms(lm);
        ctx.Observer.Info($"{Stage}: text question accuracy on val {accuracy:P1} ({string.Join(", ", perCategory.Select(c => $"{c.Key} {c.Value:P0}"))}); token embedding L2 norm mean {norms.TargetMean:F3}, max {norms.MaxNorm:F3}");
        return new TextPretrainResult(Path.Combine(StageRunner.CheckpointDir(dir), LanguageModelFile), accuracy, perCategory, norms, state.SamplesPerS);
    }

    /// <summary>
    /// One question per sequence (the corpus as written), or with <see cref="Preset.TextTranscripts"/>
    /// every question about a scene in one sequence: more answers per step, six times the tokens.
    /// </summary>
    static IReadOnlyList<Example> Examples(RunContext ctx) =>
        ctx.Preset.TextTranscripts
            ? SceneTranscripts.Build(ctx.Train, ctx.Prompts, ctx.Preset.Seed, ctx.Preset.Language(ctx.Vocab.Count).MaxSeqLen, ctx.Preset.TextCell, ctx.Preset.TextPositionLookups)
            : ctx.Train.ReadCorpus().Select(c => ctx.Prompts.WithAnswer(ctx.Prompts.TextQuestion(c.Context, c.Question), c.Answer)).ToArray();

    /// <summary>
    /// The held-out text questions: the val corpus as written, or for grid positions the same
    /// questions with their scenes described on the grid.
    /// </summary>
    static IReadOnlyList<CorpusEntry> ValEntries(RunContext ctx)
    {
        if (ctx.Preset.TextCell == 1) return ctx.Val.ReadCorpus();
        var scenes = ctx.Val.Scenes.ToDictionary(s => s.Image);
        return ctx.Val.Questions.Select((q, i) => new CorpusEntry(
            QuestionWriter.Describe(scenes[q.Image].Objects, Rng.For(ValStream, ctx.Preset.Seed, i), ctx.Preset.TextCell), q.Text, q.Answer, q.Category)).ToArray();
    }

    const string ValStream = "0b-val-grid";
    const int CurveQuestions = 600;

    /// <summary>Text accuracy on part of val at each checkpoint, so a run shows when it learned what (val_curve.jsonl).</summary>
    static void LogValCurve(LanguageModel lm, RunContext ctx, IReadOnlyList<CorpusEntry> val, string dir, int step)
    {
        var (accuracy, perCategory) = Evaluate(lm, ctx, val, CurveQuestions);
        lm.train();
        ValCurve.Append(dir, new ValPoint(step, accuracy, perCategory), p => p.Step);
        ctx.Observer.Info($"{Stage}: step {step}, text accuracy on {CurveQuestions} val questions {accuracy:P1} ({string.Join(", ", perCategory.Select(c => $"{c.Key} {c.Value:P0}"))})");
    }

    /// <summary>One point of the val curve.</summary>
    public sealed record ValPoint(int Step, double Accuracy, IReadOnlyDictionary<string, double> PerCategory);

    /// <summary>The norm adapter's constants, measured as the paper took them from Vicuna: mean and max token-embedding L2 norm.</summary>
    public static NormConstants MeasureNorms(LanguageModel lm)
    {
        using var noGrad = no_grad();
        using var norms = lm.EmbeddingWeight.norm(1);  // (V)
        return new NormConstants(norms.mean().item<float>(), norms.max().item<float>());
    }

    static Tensor Logits(LanguageModel lm, Tensor ids, Tensor mask)
    {
        var positions = HeldScalars.Arange(ids.shape[1], int64, ids.device).expand(ids.shape[0], -1);
        return lm.call(lm.EmbedTokens(ids), positions, mask, false).Logits;
    }

    /// <summary>Exact-match accuracy of greedy answers on held-out text questions, overall and per category.</summary>
    public static (double Overall, IReadOnlyDictionary<string, double> PerCategory) Evaluate(LanguageModel lm, RunContext ctx, IReadOnlyList<CorpusEntry> entries, int limit = 1_200)
    {
        using var noGrad = no_grad();
        lm.eval();
        var sample = entries.Take(limit).ToArray();
        var correct = new List<(string Category, bool Ok)>(sample.Length);
        foreach (var chunk in sample.Chunk(128))
        {
            var prompts = chunk.Select(c => ctx.Prompts.TextQuestion(c.Context, c.Question)).ToArray();
            var answers = Generate(lm, prompts, ctx.Vocab, ctx.Device);
            correct.AddRange(chunk.Zip(answers).Select(z => (z.First.Category, Scoring.IsCorrect(z.Second, z.First.Answer))));
        }
        double Rate(IEnumerable<(string, bool Ok)> xs) => xs.Select(x => x.Ok ? 1.0 : 0.0).DefaultIfEmpty(0).Average();
        var perCategory = new SortedDictionary<string, double>(correct.GroupBy(c => c.Category).ToDictionary(g => g.Key, g => Rate(g)), StringComparer.Ordinal);
        return (Rate(correct), perCategory);
    }

    static string[] Generate(LanguageModel lm, long[][] prompts, WordVocab vocab, Device device)
    {
        var rows = prompts.Select(p => p.ToList()).ToArray();
        var done = new bool[rows.Length];
        var output = rows.Select(_ => new List<long>()).ToArray();
        for (int step = 0; step < MaxAnswerTokens && !done.All(d => d); step++)
        {
            using var scope = NewDisposeScope();
            var (ids, mask) = TokenBatch.Prompts(rows.Select(r => r.ToArray()).ToArray(), vocab.PadId);
            var logits = Logits(lm, ids.to(device), mask.to(device));  // (B, T, V)
            var last = tensor(rows.Select(r => (long)r.Count - 1).ToArray(), device: device);
            var next = logits[HeldScalars.Arange(rows.Length, device: device), last].argmax(-1).cpu().data<long>().ToArray();
            for (int r = 0; r < rows.Length; r++)
            {
                if (done[r]) continue;
                if (next[r] == vocab.EosId) { done[r] = true; continue; }
                rows[r].Add(next[r]);
                output[r].Add(next[r]);
            }
        }
        return output.Select(o => vocab.Decode(o)).ToArray();
    }
}
