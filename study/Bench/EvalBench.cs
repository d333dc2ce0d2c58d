using System.Diagnostics;
using System.Globalization;
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
    /// <summary>Questions per timed step of the head-to-head measurement.</summary>
    const int StepQuestions = 640;

    public static void Run(string artifactDir, string data, string? checkpoint, int threads, IProgress<string> progress)
    {
        var settings = SessionSettings.ForAnswering(threads);
        progress.Report($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {threads} threads " +
            $"(ONNX Runtime: {threads} batches side by side, one thread each; TorchSharp: {threads} intra-op threads)");
        foreach (string line in MachineLoad.Report()) progress.Report(line);
        double peak = MatmulPeak(threads);
        progress.Report($"matmul peak (TorchSharp sgemm 1024², best of 5): {peak:F1} GFLOP/s");

        var studies = Enumerable.Range(0, 3).Select(_ => ArtifactEvaluator.Run(new EvalOptions(artifactDir, data, settings), progress: null).Evaluation).ToArray();
        var full = studies.OrderBy(e => e.Timing.TotalSeconds).ElementAt(1);
        progress.Report($"full evaluation ({full.Accuracy.Overall.Total} questions and the semantic control, 5 permutation seeds, attention, norms): " +
            $"{full.Timing.TotalSeconds:F1} s (median of 3: {string.Join(" / ", studies.Select(e => e.Timing.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)))}); " +
            $"vision {full.Timing.VisionSeconds:F2} s, answering {full.Timing.AnswerSeconds:F2} s = {full.Timing.QuestionsPerSecond:F0} questions/s");

        using var artifact = ModelArtifact.Open(artifactDir, settings);
        using var oneAtATime = ModelArtifact.Open(artifactDir, new SessionSettings(threads));
        var set = TestSet.Load(data, artifact);
        var flops = FlopCount.FromConfig(artifact.Manifest.ModelConfig);
        bool cached = artifact.Decoder.Cached;
        var ort = set.Answer(artifact);
        double work = set.Pixels.Shape[0] * flops.VisionPerImage
            + set.Prompts.Select((p, i) => cached ? flops.AnswerCached(p.Length, ort.Ids[i].Length) : flops.Answer(p.Length, ort.Ids[i].Length)).Sum();

        // The same questions through each answerer: warm-up steps, rounds of timed steps, the
        // answerers timed in one order and then the reverse, the median over all rounds.
        var step = set.Limited(StepQuestions);
        var answerers = new List<(string Label, IAnswerer Answerer)>
        {
            ($"ORT CPU, batches side by side ({(cached ? "KV cache: the step graph" : "no step graph: every step re-reads the prompt")})", artifact),
            ($"ORT CPU, one batch at a time on {threads} intra-op threads", oneAtATime),
        };
        Train.Training.Checkpoint? model = null;
        if (checkpoint is not null)
        {
            set_num_threads(threads);
            model = Train.Training.Checkpoint.Load(checkpoint);
            answerers.Add(("TorchSharp eager, same batches", new TorchAnswerer(model.Model, new WordVocab(model.Vocab))));
        }
        try
        {
            var rounds = answerers.ToDictionary(a => a.Label, _ => new List<double>());
            var cpu = answerers.ToDictionary(a => a.Label, _ => new List<double>());
            foreach (var order in new[] { answerers, Enumerable.Reverse(answerers).ToList() })
                foreach (var (label, answerer) in order)
                {
                    var t = SteadyTiming.Measure(() => step.Answer(answerer), step.Questions.Count, steps: 5, warmup: 2, rounds: 2);
                    rounds[label].AddRange(t.Rounds);
                    cpu[label].Add(t.CpuPerWall);
                }
            var rate = answerers.ToDictionary(a => a.Label, a => SteadyTiming.Median(rounds[a.Label]));
            foreach (var (label, _) in answerers)
                progress.Report($"{label}: {rate[label]:F0} questions/s (median of {rounds[label].Count} rounds of 5 × {StepQuestions} questions, both orders; " +
                    $"rounds {string.Join(" / ", rounds[label].Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}; CPU {cpu[label].Average():F2} cores)");
            double ortRate = rate[answerers[0].Label];
            double seconds = set.Questions.Count / ortRate;
            progress.Report($"ORT CPU side by side: {work / seconds / 1e9:F2} GFLOP/s achieved ({work / seconds / 1e9 / peak:P1} of the matmul peak; {work / set.Questions.Count / 1e6:F1} MFLOP per question); " +
                $"one batch at a time {rate[answerers[1].Label]:F0} questions/s (side by side: {ortRate / rate[answerers[1].Label]:F2}×)");
            if (checkpoint is not null)
                progress.Report($"ORT CPU / TorchSharp = {ortRate / rate[answerers[2].Label]:F2}×");
        }
        finally
        {
            model?.Dispose();
        }

        foreach (int batch in new[] { 8, 16, 32, 64, 128 })
        {
            double batchRate = set.Limited(640).Answer(artifact, batch).QuestionsPerSecond;
            progress.Report($"batch {batch,3}: {batchRate,6:F0} questions/s (640 questions)");
        }
        foreach (int n in new[] { 375, 750, 1500, 3000 }.Where(n => n <= set.Questions.Count))
        {
            var t = SteadyTiming.Measure(() => set.Limited(n).Answer(artifact), n, steps: 1, warmup: 0, rounds: 3);
            progress.Report($"{n,5} questions: {n / t.SamplesPerS,6:F2} s (median of 3)");
        }
        progress.Report($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
    }

    static double MatmulPeak(int threads)
    {
        set_num_threads(threads);
        return MatmulProbe.Gflops(5);
    }
}
