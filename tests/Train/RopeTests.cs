using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class RopeTests
{
    const int HeadDim = 16;
    static readonly LanguageConfig Config = new(Vocab, Width: 32, Heads: 2);  // head dim 16

    [Test]
    public void PositionZeroIsIdentity()
    {
        manual_seed(7);
        using var rope = new Rope(Config);
        using var scope = NewDisposeScope();
        var x = randn(2, 2, 5, HeadDim);
        AssertClose(rope.call(x, zeros(2, 5, dtype: int64)), x, 1e-7);
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(37)]
    public void EachHalfSplitPairTurnsByItsAngle(int position)
    {
        using var rope = new Rope(Config);
        using var scope = NewDisposeScope();
        var units = eye(HeadDim).view(1, 1, HeadDim, HeadDim);                    // row c is the unit vector e_c
        var rotated = Floats(rope.call(units, full(1, HeadDim, position, dtype: int64)));  // (HeadDim × HeadDim)
        for (int i = 0; i < HeadDim / 2; i++)
        {
            double angle = position * Math.Pow(10000, -2.0 * i / HeadDim);
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            int j = i + HeadDim / 2;
            for (int c = 0; c < HeadDim; c++)
            {
                // e_i → cos·e_i + sin·e_j and e_j → -sin·e_i + cos·e_j; other channels untouched.
                double expectedI = c == i ? cos : c == j ? -sin : 0;
                double expectedJ = c == i ? sin : c == j ? cos : 0;
                Assert.That(rotated[c * HeadDim + i], Is.EqualTo(expectedI).Within(1e-5), $"e_{c}, channel {i}");
                Assert.That(rotated[c * HeadDim + j], Is.EqualTo(expectedJ).Within(1e-5), $"e_{c}, channel {j}");
            }
        }
    }

    [Test]
    public void DotProductsDependOnlyOnRelativePosition()
    {
        manual_seed(8);
        using var rope = new Rope(Config);
        using var scope = NewDisposeScope();
        var q = randn(1, 1, 1, HeadDim);
        var k = randn(1, 1, 1, HeadDim);
        double Dot(int pq, int pk) =>
            (rope.call(q, full(1, 1, pq, dtype: int64)) * rope.call(k, full(1, 1, pk, dtype: int64))).sum().item<float>();
        Assert.That(Dot(7, 3), Is.EqualTo(Dot(4, 0)).Within(1e-4));
        Assert.That(Dot(20, 11), Is.EqualTo(Dot(9, 0)).Within(1e-4));
    }
}
