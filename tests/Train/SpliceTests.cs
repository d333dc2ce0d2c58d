using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class SpliceTests
{
    const long Img = ModelConfig.DefaultImageTokenId;

    // Row 0: placeholder at 1, two pads at the end; row 1: placeholder at 3, no padding.
    static Tensor Ids() => tensor(new long[] { 1, Img, 7, 8, 0, 0, 1, 9, 10, Img, 11, 12 }, [2, 6]);
    static Tensor Mask() => tensor(new long[] { 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1 }, [2, 6]);

    [Test]
    public void ImageTokensLandAtThePlaceholderBetweenTheText()
    {
        using var scope = NewDisposeScope();
        var text = arange(2 * 6).view(2, 6, 1).expand(2, 6, 3).to(float32);          // text[b, t] = 6b + t
        var image = (arange(2 * 4).view(2, 4, 1).expand(2, 4, 3) + 100).to(float32);  // image[b, i] = 100 + 4b + i
        var start = ImageSplice.ImageStart(Ids(), Img);
        var spliced = ImageSplice.Splice(text, image, ImageSplice.SourceIndex(start, 6, 4));

        Assert.That(Longs(start), Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(spliced.shape, Is.EqualTo(new long[] { 2, 6 + 4 - 1, 3 }));
        var firstChannel = Floats(spliced.select(2, 0));
        Assert.That(firstChannel.Take(9), Is.EqualTo(new float[] { 0, 100, 101, 102, 103, 2, 3, 4, 5 }));
        Assert.That(firstChannel.Skip(9), Is.EqualTo(new float[] { 6, 7, 8, 104, 105, 106, 107, 10, 11 }));
    }

    [Test]
    public void ForwardSplicesMaskPositionsAndEmbeddings()
    {
        using var model = TinyModel(Variant.Baseline);
        using var scope = NewDisposeScope();
        var image = randn(2, 16, 32);
        var output = model.call(image, Ids(), Mask(), VlmOptions.All);

        const int L = 6 + 16 - 1;
        Assert.That(output.Logits.shape, Is.EqualTo(new long[] { 2, L, Vocab }));
        Assert.That(Longs(output.ImageStart), Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(Longs(output.PositionIds), Is.EqualTo(Enumerable.Range(0, L).Concat(Enumerable.Range(0, L)).Select(i => (long)i)));
        var expectedMask = Enumerable.Repeat(1L, L - 2).Concat([0L, 0L]).Concat(Enumerable.Repeat(1L, L));
        Assert.That(Longs(output.AttentionMask), Is.EqualTo(expectedMask));
        Assert.That(output.Attentions, Has.Count.EqualTo(2));
        Assert.That(output.Attentions![0].shape, Is.EqualTo(new long[] { 2, 2, L, L }));

        // The same logits from the LM on embeddings spliced by hand.
        var text = model.LanguageModel.EmbedTokens(Ids());
        var row0 = cat([text[0, ..1], image[0], text[0, 2..]]);
        var row1 = cat([text[1, ..3], image[1], text[1, 4..]]);
        var lm = model.LanguageModel.call(stack([row0, row1]), output.PositionIds, output.AttentionMask, false);
        AssertClose(output.Logits, lm.Logits, 1e-5);
        AssertClose(output.TextEmbeddings!, text, 0);
    }

    [Test]
    public void LabelsGetIgnoreIndexOverTheImage()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { -100, -100, -100, 8, -100, -100, -100, -100, -100, -100, 11, 12 }, [2, 6]);
        var spliced = Longs(ImageSplice.SpliceLabels(labels, Ids(), Img, 3));
        Assert.That(spliced, Is.EqualTo(new long[] { -100, -100, -100, -100, -100, 8, -100, -100, -100, -100, -100, -100, -100, -100, 11, 12 }));
    }

    [Test]
    public void RowsNeedExactlyOnePlaceholder()
    {
        using var scope = NewDisposeScope();
        var none = tensor(new long[] { 1, 2, 3, 1, Img, 3 }, [2, 3]);
        var two = tensor(new long[] { Img, 2, Img }, [1, 3]);
        Assert.That(Assert.Throws<ArgumentException>(() => ImageSplice.ImageStart(none, Img))!.Message, Does.Contain("Row 0 holds 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => ImageSplice.ImageStart(two, Img))!.Message, Does.Contain("Row 0 holds 2"));
    }
}
