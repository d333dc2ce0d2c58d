using TorchSharp;
using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class VisionLanguageModelTests
{
    const long Img = ModelConfig.DefaultImageTokenId;

    [TestCase(Variant.Baseline, 32)]
    [TestCase(Variant.Norm, 32)]
    [TestCase(Variant.NormMultilayer, 128)]
    public void ForwardPixelsExposesEveryIntermediate(Variant variant, int featureWidth)
    {
        using var model = TinyModel(variant);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 1, Img, 7, 8, 2, 1, 9, Img, 10, 2 }, [2, 5]);
        VlmOutput output;
        using (var inner = NewDisposeScope())
            output = model.ForwardPixels(rand(2, 3, 16, 16), ids, null, VlmOptions.All).MoveToOuterDisposeScope();

        // Still alive after the inner scope: every tensor was handed out.
        Assert.That(output.EncoderFeatures!.shape, Is.EqualTo(new long[] { 2, 16, featureWidth }));
        Assert.That(output.ProjectorOutput!.shape, Is.EqualTo(new long[] { 2, 16, 32 }));
        Assert.That(output.ImageEmbeddings!.shape, Is.EqualTo(new long[] { 2, 16, 32 }));
        Assert.That(output.TextEmbeddings!.shape, Is.EqualTo(new long[] { 2, 5, 32 }));
        Assert.That(output.HiddenStates!.shape, Is.EqualTo(new long[] { 2, 20, 32 }));
        Assert.That(output.Attentions, Has.Count.EqualTo(2));
        if (variant == Variant.Baseline)
        {
            Assert.That(output.AdapterOutput, Is.Null);
        }
        else
        {
            var norms = Floats(output.AdapterOutput!.norm(-1));
            Assert.That(norms, Has.All.LessThanOrEqualTo(0.83f * 1.22f + 1e-5f), "norm adapter bounds every token");
            AssertClose(output.ImageEmbeddings, output.AdapterOutput, 0);
        }

        var plain = model.call(output.ImageEmbeddings, ids, null, VlmOptions.None);
        AssertClose(plain.Logits, output.Logits, 1e-5, "attentions path vs fused path");
        Assert.That(plain.Attentions, Is.Null);
        Assert.That(plain.HiddenStates, Is.Null);
    }

    [Test]
    public void TrainingStepsLowerTheAnswerLoss()
    {
        using var model = TinyModel(Variant.NormMultilayer, seed: 31);
        using var scope = NewDisposeScope();
        var features = model.EncodeImage(rand(2, 3, 16, 16)).detach();   // cached, as with a frozen encoder
        var ids = tensor(new long[] { 1, Img, 7, 8, 12, 1, Img, 9, 10, 13 }, [2, 5]);
        var labels = ImageSplice.SpliceLabels(tensor(new long[] { -100, -100, -100, -100, 12, -100, -100, -100, -100, 13 }, [2, 5]), ids, Img, 16);
        var trainable = model.ConnectorParameters().Concat(model.LanguageModel.parameters()).ToArray();
        using var optimizer = optim.AdamW(trainable, lr: 1e-2);

        float Step()
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.call(model.ProjectFeatures(features), ids, null, VlmOptions.None).Logits;
            var loss = AnswerLoss.Compute(logits, labels);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        var first = Step();
        float last = first;
        for (int i = 0; i < 15; i++) last = Step();
        Assert.That(last, Is.LessThan(first * 0.5f));
        Assert.That(model.Projector.parameters().First().grad, Is.Not.Null, "gradients reach the projector through the splice");
    }

    [Test]
    public void CheckpointRestoresWeightsAndNormConstants()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vlm-{Guid.NewGuid():N}.bin");
        try
        {
            using var scope = NewDisposeScope();
            var ids = tensor(new long[] { 1, Img, 7 }, [1, 3]);
            var image = randn(1, 16, 32);
            using var saved = TinyModel(Variant.Norm, seed: 41);
            saved.save(path);
            var other = ModelConfig.Tiny(Vocab, Variant.Norm) with { Norm = new NormConstants(5, 9) };
            manual_seed(42);
            using var loaded = new VisionLanguageModel(other);
            loaded.load(path);

            var state = loaded.state_dict();
            Assert.That(state["norm_adapter.target_mean"].item<float>(), Is.EqualTo(0.83f));
            Assert.That(state["norm_adapter.max_norm"].item<float>(), Is.EqualTo(1.22f));
            var features = rand(1, 16, 32);
            AssertClose(loaded.ProjectFeatures(features), saved.ProjectFeatures(features), 0);
            AssertClose(loaded.call(image, ids, null, VlmOptions.None).Logits, saved.call(image, ids, null, VlmOptions.None).Logits, 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void MovesToAnotherDtype()
    {
        using var model = TinyModel(Variant.NormMultilayer, seed: 43);
        using var scope = NewDisposeScope();
        var pixels = rand(1, 3, 16, 16);
        var ids = tensor(new long[] { 1, Img, 7, 8 }, [1, 4]);
        var single = model.ForwardPixels(pixels, ids, null, VlmOptions.None).Logits;
        model.to(float64);
        var dbl = model.ForwardPixels(pixels.to(float64), ids, null, VlmOptions.All);
        Assert.That(dbl.Logits.dtype, Is.EqualTo(float64));
        Assert.That(dbl.Attentions![0].dtype, Is.EqualTo(float64));
        AssertClose(dbl.Logits, single, 1e-4);
    }
}
