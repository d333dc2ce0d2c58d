using Pipeline.Eval;
using Pipeline.Runtime;

namespace Pipeline.Tests.Eval;

[TestFixture]
public class AttentionEntropyTests
{
    [Test]
    public void UniformOverTheImageIsOne()
    {
        float[] row = [0.2f, 0.2f, 0.2f, 0.2f, 0.2f];
        Assert.That(AttentionEntropy.Normalized(row, 1, 4), Is.EqualTo(1.0).Within(1e-9));
    }

    [Test]
    public void OneHotIsZero()
    {
        float[] row = [0.5f, 0f, 0.5f, 0f, 0f];
        Assert.That(AttentionEntropy.Normalized(row, 1, 4), Is.EqualTo(0.0).Within(1e-12));
    }

    [Test]
    public void TwoPointDistribution()
    {
        // p = (0.25, 0.75, 0, 0) over M = 4: H = −(0.25 ln 0.25 + 0.75 ln 0.75) = 0.562335…, / ln 4.
        float[] row = [0.25f, 0.75f, 0f, 0f];
        double h = -(0.25 * Math.Log(0.25) + 0.75 * Math.Log(0.75));
        Assert.That(AttentionEntropy.Normalized(row, 0, 4), Is.EqualTo(h / Math.Log(4)).Within(1e-7));
        Assert.That(h / Math.Log(4), Is.EqualTo(0.405639).Within(1e-6), "hand value");
    }

    [Test]
    public void MassOutsideTheSpanIsIgnored()
    {
        // The same shape inside the span, scaled by 0.1, with 0.9 on text and the sink.
        float[] row = [0.6f, 0.025f, 0.075f, 0f, 0f, 0.3f];
        float[] alone = [0.25f, 0.75f, 0f, 0f];
        Assert.That(AttentionEntropy.Normalized(row, 1, 4), Is.EqualTo(AttentionEntropy.Normalized(alone, 0, 4)).Within(1e-6));
    }

    [Test]
    public void SingleVisionTokenIsDefinedAsZero() =>
        Assert.That(AttentionEntropy.Normalized([0.5f, 0.5f], 0, 1), Is.EqualTo(0.0));

    [Test]
    public void NoMassOnTheImageIsAnError() =>
        Assert.That(() => AttentionEntropy.Normalized([1f, 0f, 0f], 1, 2), Throws.ArgumentException);

    [Test]
    public void PerRowAveragesHeadsLayersAndQueries()
    {
        // B = 2, H = 2, S = 5; image at [1, 3) for row 0 and [0, 2) for row 1 (M = 2).
        const int b = 2, heads = 2, s = 5;
        HostTensor Layer(Func<int, int, int, float[]> rowOf)
        {
            var data = new float[b * heads * s * s];
            for (int r = 0; r < b; r++)
                for (int h = 0; h < heads; h++)
                    for (int q = 0; q < s; q++)
                        rowOf(r, h, q).CopyTo(data, ((r * heads + h) * s + q) * s);
            return HostTensor.Float([b, heads, s, s], data);
        }
        float[] uniform0 = [0.2f, 0.4f, 0.4f, 0f, 0f], onehot0 = [0.2f, 0.8f, 0f, 0f, 0f];
        float[] uniform1 = [0.5f, 0.5f, 0f, 0f, 0f], onehot1 = [0f, 1f, 0f, 0f, 0f];
        // Layer A: head 0 uniform, head 1 one-hot. Layer B: both uniform.
        var a = Layer((r, h, _) => r == 0 ? (h == 0 ? uniform0 : onehot0) : (h == 0 ? uniform1 : onehot1));
        var bLayer = Layer((r, _, _) => r == 0 ? uniform0 : uniform1);
        var result = AttentionEntropy.PerRow([a, bLayer], [1, 0], 2, [[3, 4], [2]]);
        Assert.That(result, Is.EqualTo(new[] { 0.75, 0.75 }).Within(1e-6), "(1 + 0 + 1 + 1) / 4 for both rows");
    }

    [Test]
    public void PerRowRejectsAQueryInsideTheImage()
    {
        var t = HostTensor.Float([1, 1, 3, 3], [1, 0, 0, 0.5f, 0.5f, 0, 0.3f, 0.3f, 0.4f]);
        Assert.That(() => AttentionEntropy.PerRow([t], [0], 2, [[1]]), Throws.ArgumentException.With.Message.Contains("not a text position"));
    }

    [Test]
    public void SummaryIsMeanSampleStdAndCount()
    {
        var s = AttentionEntropy.Summarize([0.5, 0.7, 0.9]);
        Assert.That((s.Count, s.Mean, s.Min, s.Max), Is.EqualTo((3, 0.7, 0.5, 0.9)).Using<(int, double, double, double)>((x, y) => x.Item1 == y.Item1 && Math.Abs(x.Item2 - y.Item2) < 1e-12 && x.Item3 == y.Item3 && x.Item4 == y.Item4));
        Assert.That(s.Std, Is.EqualTo(0.2).Within(1e-12), "sqrt((0.04 + 0 + 0.04) / 2)");
    }

    [Test]
    public void ImageWeightsAreRenormalisedAndAveraged()
    {
        // One layer, two heads, S = 3, image [1, 3): head 0 gives (0.1, 0.3) → (0.25, 0.75); head 1 (0.5, 0.5).
        var data = new float[2 * 3 * 3];
        new float[] { 0.6f, 0.1f, 0.3f }.CopyTo(data, 2 * 3);
        new float[] { 0f, 0.5f, 0.5f }.CopyTo(data, 3 * 3 + 2 * 3);
        var w = AttentionMaps.ImageWeights([HostTensor.Float([1, 2, 3, 3], data)], 0, 1, 2, 2);
        Assert.That(w, Is.EqualTo(new[] { 0.375f, 0.625f }).Within(1e-6));
    }

    [Test]
    public void TextPositionsAfterTheImage()
    {
        Assert.That(AttentionEntropy.TextPositionsAfterImage(2, 4, 9), Is.EqualTo(new[] { 6, 7, 8 }));
        Assert.That(() => AttentionEntropy.TextPositionsAfterImage(2, 4, 6), Throws.ArgumentException);
    }

    [Test]
    public void ThePapersWayIsTheEntropyOfTheAveragedAttentionHandComputed()
    {
        // One layer, two heads, S = 4: start token at 0, image span [1, 3), the text query at 3.
        // Heads' mean (0.3, 0.3, 0.2, 0.2); start dropped → (3/7, 2/7, 2/7); on the image (0.6, 0.4).
        float[] data = new float[2 * 4 * 4];
        float[] head0 = [0.4f, 0.6f, 0f, 0f], head1 = [0.2f, 0f, 0.4f, 0.4f];
        head0.CopyTo(data, (0 * 4 + 3) * 4);
        head1.CopyTo(data, (1 * 4 + 3) * 4);
        var layer = HostTensor.Float([1, 2, 4, 4], data);
        double paper = AttentionEntropy.PaperStyle([layer], [1], 2, [[3]])[0];
        double h = -(0.6 * Math.Log(0.6) + 0.4 * Math.Log(0.4)) / Math.Log(2);
        Assert.That(paper, Is.EqualTo(h).Within(1e-6));
        Assert.That(h, Is.EqualTo(0.970951).Within(1e-6), "hand value");
        Assert.That(AttentionEntropy.PerRow([layer], [1], 2, [[3]])[0], Is.EqualTo(0.0).Within(1e-9), "each head alone looks at one token");
    }

    [Test]
    public void ThePapersWayEqualsThePerQueryMeanWhenAttentionIsUniform()
    {
        const int b = 2, heads = 2, s = 6, start = 1, m = 3;
        var data = new float[b * heads * s * s];
        for (int i = 0; i < data.Length; i++) data[i] = 1f / s;
        var layers = new[] { HostTensor.Float([b, heads, s, s], data), HostTensor.Float([b, heads, s, s], data) };
        IReadOnlyList<int>[] queries = [[4, 5], [4]];
        var paper = AttentionEntropy.PaperStyle(layers, [start, start], m, queries);
        var perQuery = AttentionEntropy.PerRow(layers, [start, start], m, queries);
        Assert.That(paper, Is.EqualTo(perQuery).Within(1e-6));
        Assert.That(paper, Is.All.EqualTo(1.0).Within(1e-6));
    }

    [Test]
    public void ThePapersWayRefusesAQueryInsideTheImage() =>
        Assert.That(() => AttentionEntropy.PaperStyle([HostTensor.Float([1, 1, 4, 4], new float[16])], [1], 2, [[2]]),
            Throws.ArgumentException.With.Message.Contains("not a text position after the image span"));
}
