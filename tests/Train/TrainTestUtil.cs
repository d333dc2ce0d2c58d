using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

internal static class TrainTestUtil
{
    public const int Vocab = 40;

    public static VisionLanguageModel TinyModel(Variant variant, int? poolTokens = null, long seed = 1)
    {
        manual_seed(seed);
        return new VisionLanguageModel(ModelConfig.Tiny(Vocab, variant) with { PoolTokens = poolTokens });
    }

    public static void AssertClose(Tensor actual, Tensor expected, double atol = 1e-5, string what = "")
    {
        Assert.That(actual.shape, Is.EqualTo(expected.shape), $"shape {what}");
        var diff = (actual.to(float64) - expected.to(float64)).abs().max().item<double>();
        Assert.That(diff, Is.LessThanOrEqualTo(atol), $"max |actual - expected| {what}");
    }

    public static float[] Floats(Tensor t) => t.detach().cpu().to(float32).contiguous().data<float>().ToArray();

    public static long[] Longs(Tensor t) => t.cpu().to(int64).contiguous().data<long>().ToArray();
}
