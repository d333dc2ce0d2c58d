using Pipeline.Train.Model;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

/// <summary>
/// Training and decoding under constant garbage collections on another thread: a scalar or tensor
/// that nothing holds during its native call gets freed mid-call and libtorch fails ("Unknown scalar
/// type"). With TorchSharp's temporaries about 2% of these steps failed; none may now.
/// </summary>
[NonParallelizable]
public sealed class GarbageCollectionPressureTests
{
    const int Steps = 400;

    [Test]
    public void TrainingAndDecodingStepsSurviveCollectionsOnAnotherThread()
    {
        var p = Preset.Parse("tiny");
        manual_seed(0);
        using var lm = new LanguageModel(p.Language(300));
        using var lmOpt = StageRunner.NewOptimizer(lm.parameters(), p.Text0b);
        using var ids = randint(5, 300, [4, 12]);
        using var positions = tensor(Enumerable.Range(0, 48).Select(i => (long)(i % 12)).ToArray(), [4, 12]);
        using var mask = ones(4, 12, dtype: int64);

        using var vision = new PresenceClassifier(p.Vision);
        using var visionOpt = StageRunner.NewOptimizer(vision.parameters(), p.Vision0a);
        using var pixels = randn(2, 3, p.Vision.ImageSize, p.Vision.ImageSize);
        using var presence = rand(2, PresenceClassifier.Labels).round();
        using var shapes = randint(PatchLabels.ShapeClasses, [2, p.Vision.NumPatches]);
        using var colors = randint(PatchLabels.ColorClasses, [2, p.Vision.NumPatches]);

        using var vlm = new VisionLanguageModel(p.Model(300, Variant.NormMultilayer, NormConstants.Paper));
        using var vlmOpt = StageRunner.NewOptimizer(vlm.ConnectorParameters().Concat(vlm.LanguageModel.parameters()), p.Qa2);
        using var features = randn(2, p.Vision.NumPatches, vlm.Config.ProjectorInFeatures);
        using var qaIds = randint(5, 300, [2, 10]);
        qaIds[TensorIndex.Colon, 1] = vlm.Config.ImageTokenId;
        using var qaLabels = ImageSplice.SpliceLabels(qaIds, qaIds, vlm.Config.ImageTokenId, vlm.Config.NumImageTokens);

        var failures = new List<string>();
        using (new CollectorThread())
        {
            for (int step = 0; step < Steps; step++)
            {
                try
                {
                    using var scope = NewDisposeScope();
                    switch (step % 4)
                    {
                        case 0:
                            lmOpt.zero_grad();
                            AnswerLoss.Compute(lm.call(lm.EmbedTokens(ids), positions, mask, false).Logits, ids).backward();
                            lmOpt.step();
                            break;
                        case 1:
                            visionOpt.zero_grad();
                            VisionPretraining.Loss(vision.Heads(pixels), presence, shapes, colors).backward();
                            visionOpt.step();
                            break;
                        case 2:
                            vlmOpt.zero_grad();
                            AnswerLoss.Compute(vlm.call(vlm.ProjectFeatures(features), qaIds, null, VlmOptions.None).Logits, qaLabels).backward();
                            vlmOpt.step();
                            break;
                        default:
                            vlm.GenerateGreedy(vlm.ProjectFeatures(features), qaIds, 3, eosId: 2);
                            break;
                    }
                }
                catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException)
                {
                    failures.Add($"step {step}: {e.Message.Split('\n')[0]}");
                }
            }
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(5)));
    }

    /// <summary>Allocates and forces a full collection in a loop until disposed.</summary>
    sealed class CollectorThread : IDisposable
    {
        readonly Thread thread;
        volatile bool stop;

        public CollectorThread()
        {
            thread = new Thread(() =>
            {
                while (!stop)
                {
                    var junk = new object[16384];
                    for (int i = 0; i < junk.Length; i++) junk[i] = new byte[32];
                    GC.Collect();
                }
            }) { IsBackground = true };
            thread.Start();
        }

        public void Dispose()
        {
            stop = true;
            thread.Join();
        }
    }
}
