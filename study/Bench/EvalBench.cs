using System.Diagnostics;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Study.Bench;

/// <summary>
/// Performance figures for one artifact: the whole evaluation and the plain answering
/// pass on ORT CPU, ORT against TorchSharp eager on the same batches, achieved GFLOP/s against this
/// machine's measured matmul peak, peak memory, and how time grows with batch size and question count.
/// </summary>
public static class EvalBench
{
    public static void Run(string artifactDir, string data, string? checkpoint, int threads, IProgress<string> progress)
    {
        var settings = SessionSettings.ForAnswering(threads);
        progress.Report($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {threads} threads " +
            $"(ONNX Runtime: {threads} batches side by side, one thread each; TorchSharp: {threads} intra-op threads)");
        double peak = MatmulPeak(threads);
        progress.Report($"matmul peak (TorchSharp sgemm 1024², best of 5): {peak:F1} GFLOP/s");

        var full = ArtifactEvaluator.Run(new EvalOptions(artifactDir, data, settings), progress: null).Evaluation;
        progress.Report($"full evaluation ({full.Accuracy.Overall.Total} questions, 5 permutation seeds, attention, norms): {full.Timing.TotalSeconds:F1} s; " +
            $"vision {full.Timing.VisionSeconds:F2} s, answering {full.Timing.AnswerSeconds:F2} s = {full.Timing.QuestionsPerSecond:F0} questions/s");

        using var artifact = ModelArtifact.Open(artifactDir, settings);
        var set = TestSet.Load(data, artifact);
        var flops = FlopCount.FromConfig(artifact.Manifest.ModelConfig);
        var clock = Stopwatch.StartNew();
        var ort = set.Answer(artifact);
        double seconds = clock.Elapsed.TotalSeconds, ortRate = ort.QuestionsPerSecond;
        bool cached = artifact.Decoder.Cached;
        double work = set.Pixels.Shape[0] * flops.VisionPerImage
            + set.Prompts.Select((p, i) => cached ? flops.AnswerCached(p.Length, ort.Ids[i].Length) : flops.Answer(p.Length, ort.Ids[i].Length)).Sum();
        progress.Report($"ORT CPU, every image encoded once, then decoding in batches of 64 side by side ({(cached ? "KV cache: the step graph" : "no step graph: every step re-reads the prompt")}): " +
            $"{ortRate:F0} questions/s, {work / seconds / 1e9:F2} GFLOP/s achieved ({work / seconds / 1e9 / peak:P1} of the matmul peak; {work / set.Questions.Count / 1e6:F1} MFLOP per question)");

        using (var split = ModelArtifact.Open(artifactDir, new SessionSettings(threads)))
        {
            double splitRate = set.Answer(split).QuestionsPerSecond;
            progress.Report($"ORT CPU, one batch at a time on {threads} intra-op threads: {splitRate:F0} questions/s (side by side: {ortRate / splitRate:F2}×)");
        }

        if (checkpoint is not null)
        {
            set_num_threads(threads);
            using var model = Train.Training.Checkpoint.Load(checkpoint);
            double torchRate = set.Answer(new TorchAnswerer(model.Model, new WordVocab(model.Vocab))).QuestionsPerSecond;
            progress.Report($"TorchSharp eager, same batches: {torchRate:F0} questions/s; ORT CPU / TorchSharp = {ortRate / torchRate:F2}×");
        }

        foreach (int batch in new[] { 8, 16, 32, 64, 128 })
        {
            double rate = set.Limited(640).Answer(artifact, batch).QuestionsPerSecond;
            progress.Report($"batch {batch,3}: {rate,6:F0} questions/s (640 questions)");
        }
        foreach (int n in new[] { 375, 750, 1500, 3000 }.Where(n => n <= set.Questions.Count))
        {
            var sw = Stopwatch.StartNew();
            set.Limited(n).Answer(artifact);
            progress.Report($"{n,5} questions: {sw.Elapsed.TotalSeconds,6:F2} s");
        }
        progress.Report($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
    }

    static double MatmulPeak(int threads)
    {
        set_num_threads(threads);
        using var scope = NewDisposeScope();
        var a = randn(1024, 1024);
        var b = randn(1024, 1024);
        a.mm(b).Dispose();
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            a.mm(b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }
}
