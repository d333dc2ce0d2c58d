using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class TokenPoolingTests
{
    // Token n of the 4×4 grid (row n / 4, column n % 4) carries value n in every channel.
    static Tensor Grid() => arange(16, dtype: float32).view(1, 16, 1).expand(2, 16, 32).contiguous();

    static TokenPooling Pool(int k) => new(ModelConfig.Tiny(Vocab, Variant.Baseline) with { PoolTokens = k });

    [Test]
    public void TwoByTwoAveragesQuadrants()
    {
        using var pool = Pool(2);
        using var scope = NewDisposeScope();
        var y = pool.call(Grid());
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 4, 32 }));
        // Quadrants {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}, row-major.
        Assert.That(Floats(y[0, TensorIndex.Colon, 0]), Is.EqualTo(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }));
        AssertClose(y[1], y[0], 0);
    }

    [Test]
    public void ThreeByThreeUsesOverlappingAdaptiveWindows()
    {
        using var pool = Pool(3);
        using var scope = NewDisposeScope();
        var y = Floats(pool.call(Grid())[0, TensorIndex.Colon, 0]);
        // AdaptiveAvgPool windows over 4 cells for 3 outputs: [0, 2), [1, 3), [2, 4).
        int[][] windows = [[0, 1], [1, 2], [2, 3]];
        Assert.That(y, Has.Length.EqualTo(9));
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
            {
                var cells = windows[r].SelectMany(row => windows[c].Select(col => row * 4 + col)).ToArray();
                Assert.That(y[r * 3 + c], Is.EqualTo((float)cells.Average()).Within(1e-6), $"({r}, {c})");
            }
    }

    [Test]
    public void FullGridIsIdentity()
    {
        using var pool = Pool(4);
        using var scope = NewDisposeScope();
        var x = randn(2, 16, 32);
        AssertClose(pool.call(x), x, 1e-6);
    }

    [Test]
    public void ModelWithPoolingSplicesKSquaredTokens()
    {
        using var model = TinyModel(Variant.Norm, poolTokens: 2);
        using var scope = NewDisposeScope();
        var embeddings = model.ProjectFeatures(model.EncodeImage(rand(1, 3, 16, 16)));
        Assert.That(embeddings.shape, Is.EqualTo(new long[] { 1, 4, 32 }));
        var ids = tensor(new long[] { 1, ModelConfig.DefaultImageTokenId, 7 }, [1, 3]);
        Assert.That(model.call(embeddings, ids, null, VlmOptions.None).Logits.shape, Is.EqualTo(new long[] { 1, 3 + 4 - 1, Vocab }));
    }
}
