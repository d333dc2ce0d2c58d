using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class PatchEmbeddingTests
{
    [Test]
    public void TheConvolutionalStemKeepsTheTokenGridAndAddsTwoConvolutions()
    {
        var config = new VisionConfig(ImageSize: 32, PatchSize: 8, Width: 32, Depth: 2, Heads: 2, ConvStem: true);
        manual_seed(0);
        using var embed = new PatchEmbedding(config);
        using var x = randn(2, 3, 32, 32);
        using var y = embed.call(x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 16, 32 }));
        var names = embed.named_parameters().Select(p => $"{p.name}:{string.Join("x", p.parameter.shape)}").ToArray();
        Assert.That(names, Is.EqualTo(new[]
        {
            "conv_1.weight:8x3x3x3", "conv_1.bias:8", "conv_2.weight:16x8x3x3", "conv_2.bias:16", "proj.weight:32x16x2x2", "proj.bias:32",
        }));
    }

    [Test]
    public void TheStemSeesOnlyItsOwnPatch()
    {
        // Changing pixels of one 8×8 patch may change that token only: tokens stay local, as in ViT.
        var config = new VisionConfig(ImageSize: 32, PatchSize: 8, Width: 32, Depth: 2, Heads: 2, ConvStem: true);
        manual_seed(0);
        using var embed = new PatchEmbedding(config);
        using var x = randn(1, 3, 32, 32);
        using var changed = x.clone();
        changed[0, .., 24.., 24..] = 5.0f;  // the last patch (row 3, column 3)
        using var a = embed.call(x);
        using var b = embed.call(changed);
        using var diff = (a - b).abs().amax([2]).squeeze(0);  // (16)
        var perToken = diff.data<float>().ToArray();
        Assert.That(perToken[15], Is.GreaterThan(0));
        // The stride-2 3×3 convolutions have a receptive field of 7 px, so only the neighbouring patches may feel the edge.
        Assert.That(perToken.Take(10).All(d => d == 0), Is.True);
    }

    [Test]
    public void AStemNeedsAPatchSizeDivisibleByFour() =>
        Assert.That(() => new ModelConfig(new VisionConfig(ImageSize: 30, PatchSize: 6, ConvStem: true), new LanguageConfig(40), Variant.Baseline).Validate(),
            Throws.ArgumentException.With.Message.Contains("divisible by 4"));
}
