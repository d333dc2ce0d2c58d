using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class GreedyDecodingTests
{
    const long Img = ModelConfig.DefaultImageTokenId;

    /// <summary>The reference: one row, no padding, argmax of the last position, appended, repeated.</summary>
    static List<long> ArgmaxRollout(VisionLanguageModel model, Tensor image, long[] prompt, int steps)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = prompt.ToList();
        var generated = new List<long>();
        for (int s = 0; s < steps; s++)
        {
            var logits = model.call(image, tensor(ids.ToArray(), [1, ids.Count]), null, VlmOptions.None).Logits;
            var next = logits[0, -1].argmax().item<long>();
            ids.Add(next);
            generated.Add(next);
        }
        return generated;
    }

    [Test]
    public void ReturnsTheArgmaxSequenceForPaddedPromptsAndStopsAtEos()
    {
        using var model = TinyModel(Variant.NormMultilayer, seed: 21);
        using var scope = NewDisposeScope();
        manual_seed(22);
        using (no_grad())
            model.LanguageModel.get_parameter("lm_head.weight")!.normal_(0, 1);  // livelier argmax than the 0.02 init
        var images = randn(2, 16, 32);
        long[] shortPrompt = [1, Img, 7], longPrompt = [1, 9, Img, 10, 11];
        var prompts = tensor(new long[] { 1, Img, 7, 0, 0, 1, 9, Img, 10, 11 }, [2, 5]);
        var mask = tensor(new long[] { 1, 1, 1, 0, 0, 1, 1, 1, 1, 1 }, [2, 5]);
        var reference0 = ArgmaxRollout(model, images[0..1], shortPrompt, 6);
        var reference1 = ArgmaxRollout(model, images[1..2], longPrompt, 6);

        // An EOS that neither row produces: both run to the limit.
        long neverEos = Enumerable.Range(0, Vocab).Select(i => (long)i).First(i => !reference0.Contains(i) && !reference1.Contains(i));
        var free = model.GenerateGreedy(images, prompts, 6, neverEos, mask);
        Assert.That(free[0], Is.EqualTo(reference0));
        Assert.That(free[1], Is.EqualTo(reference1));

        // Row 0's third token as EOS: row 0 stops before it, row 1 stops at its first occurrence if any.
        long eos = reference0[2];
        var stopped = model.GenerateGreedy(images, prompts, 6, eos, mask);
        Assert.That(stopped[0], Is.EqualTo(reference0.TakeWhile(t => t != eos)));
        Assert.That(stopped[1], Is.EqualTo(reference1.TakeWhile(t => t != eos)));
        Assert.That(stopped[0], Has.Length.LessThanOrEqualTo(2));
    }

    [Test]
    public void UnpaddedPromptsNeedNoMask()
    {
        using var model = TinyModel(Variant.Baseline, seed: 23);
        using var scope = NewDisposeScope();
        var image = randn(1, 16, 32);
        long[] prompt = [1, Img, 7, 8];
        var reference = ArgmaxRollout(model, image, prompt, 3);
        var generated = model.GenerateGreedy(image, tensor(prompt, [1, 4]), 3, eosId: -1);
        Assert.That(generated[0], Is.EqualTo(reference));
    }
}
