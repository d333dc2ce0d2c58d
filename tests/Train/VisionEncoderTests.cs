using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class VisionEncoderTests
{
    static readonly VisionConfig Deep = new(ImageSize: 16, PatchSize: 4, Width: 32, Depth: 8, Heads: 2);

    [Test]
    public void ReturnsEveryLayer()
    {
        manual_seed(5);
        using var encoder = new VisionEncoder(Deep);
        using var scope = NewDisposeScope();
        var layers = encoder.call(rand(2, 3, 16, 16));
        Assert.That(layers, Has.Count.EqualTo(8));
        Assert.That(layers.Select(l => l.shape), Has.All.EqualTo(new long[] { 2, 16, 32 }));
        Assert.That((layers[6] - layers[7]).abs().max().item<float>(), Is.GreaterThan(0f), "layers differ");
    }

    [Test]
    public void MultilayerAdapterConcatenatesLnPostOfTheTaps()
    {
        manual_seed(6);
        using var encoder = new VisionEncoder(Deep);
        using var adapter = new MultilayerAdapter(Deep, encoder);
        using var scope = NewDisposeScope();
        var ln = encoder.PostNorm;
        using (no_grad())
        {
            ln.weight!.normal_(1, 0.5);
            ln.bias!.normal_(0, 0.5);
        }
        var layers = encoder.call(rand(2, 3, 16, 16));

        var actual = adapter.call(layers);

        Assert.That(Deep.TapLayers, Is.EqualTo(new[] { 4, 5, 7, 8 }));
        var byHand = new[] { 4, 5, 7, 8 }.Select(i => nn.functional.layer_norm(layers[i - 1], [32], ln.weight, ln.bias, 1e-5)).ToArray();
        AssertClose(actual, cat(byHand, dim: -1), 1e-5);
        Assert.That(adapter.parameters(), Is.Empty, "ln_post belongs to the encoder only");
    }

    [Test]
    public void EncodeImagePicksTheVariantsFeature()
    {
        using var scope = NewDisposeScope();
        var pixels = rand(2, 3, 16, 16);
        foreach (var variant in Enum.GetValues<Variant>())
        {
            using var model = TinyModel(variant);
            var layers = model.VisionTower.call(pixels);
            var features = model.EncodeImage(pixels);
            // Tiny depth 2: baseline feature is layer 1; taps are 1, 1, 2, 2.
            var ln = model.VisionTower.PostNorm;
            var expected = variant == Variant.NormMultilayer
                ? cat([ln.call(layers[0]), ln.call(layers[0]), ln.call(layers[1]), ln.call(layers[1])], dim: -1)
                : layers[0];
            AssertClose(features, expected, 1e-6, variant.ToString());
        }
    }
}
