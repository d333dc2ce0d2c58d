using Pipeline.Train.Model;
using Pipeline.Train.Text;
using Pipeline.Train.Training;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class PackedBatchTests
{
    const long Img = ModelConfig.DefaultImageTokenId;

    static Example Question(params long[] body) =>
        new([1, Img, .. body], [false, false, .. body.Select((_, i) => i >= body.Length - 2)]);

    [Test]
    public void PackKeepsThePrefixOnceAndNumbersEachQuestion()
    {
        var packed = PackedExample.Pack([Question(7, 8, 12, 2), Question(9, 13, 2)], prefixLength: 2);

        Assert.That(packed.Ids, Is.EqualTo(new long[] { 1, Img, 7, 8, 12, 2, 9, 13, 2 }));
        Assert.That(packed.Segment, Is.EqualTo(new long[] { 0, 0, 1, 1, 1, 1, 2, 2, 2 }));
        Assert.That(packed.Position, Is.EqualTo(new long[] { 0, 1, 2, 3, 4, 5, 2, 3, 4 }));
        Assert.That(packed.Target, Is.EqualTo(new[] { false, false, false, false, true, true, false, true, true }));
        Assert.That(packed.Examples, Is.EqualTo(2));
    }

    [Test]
    public void PackRefusesQuestionsWithDifferentPrefixes()
    {
        Example other = new([1, 5, 7, 2], [false, false, false, true]);
        Assert.That(() => PackedExample.Pack([Question(7, 2), other], 2), Throws.ArgumentException.With.Message.Contains("share their prefix"));
    }

    [TestCase(Variant.Baseline)]
    [TestCase(Variant.NormMultilayer)]
    public void PackedRowGivesEachQuestionTheLogitsOfItsOwnRow(Variant variant)
    {
        using var model = TinyModel(variant, seed: 5);
        model.eval();
        using var scope = NewDisposeScope();
        var image = model.ProjectFeatures(model.EncodeImage(rand(2, 3, 16, 16)));  // (2, 16, 32)
        Example[][] questions = [[Question(7, 8, 12, 2), Question(9, 13, 2), Question(10, 11, 7, 14, 2)], [Question(20, 21, 2)]];
        using var batch = PackedBatch.From(questions.Select(q => PackedExample.Pack(q, 2)).ToArray(), padId: 0);

        var packed = model.ForwardPacked(image, batch.Ids, batch.Segments, batch.Positions).Logits;  // (2, L, V)
        for (int row = 0; row < questions.Length; row++)
        {
            long offset = 16 + 1;  // bos, then the 16 image tokens: each question's first token sits here
            foreach (var q in questions[row])
            {
                var alone = model.call(image.narrow(0, row, 1), tensor(q.Ids, [1, q.Ids.Length]), null, VlmOptions.None).Logits;  // (1, Lq, V)
                long n = q.Ids.Length - 2;
                AssertClose(packed[row].narrow(0, offset, n), alone[0].narrow(0, 17, n), 1e-5, $"row {row} question at {offset}");
                offset += n;
            }
        }
    }

    [Test]
    public void PaddingIsMarkedOutsideEverySegment()
    {
        using var batch = PackedBatch.From([PackedExample.Pack([Question(7, 2)], 2), PackedExample.Pack([Question(7, 8, 9, 2)], 2)], padId: 0);
        Assert.That(Longs(batch.Segments[0]), Is.EqualTo(new long[] { 0, 0, 1, 1, -1, -1 }));
        Assert.That(Longs(batch.Labels[0]), Is.EqualTo(new long[] { -100, -100, 7, 2, -100, -100 }));
        Assert.That(Longs(batch.Ids[0]), Is.EqualTo(new long[] { 1, Img, 7, 2, 0, 0 }));
    }
}
