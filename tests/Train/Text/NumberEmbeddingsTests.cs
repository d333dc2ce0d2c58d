using Pipeline.Data;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Text;

[TestFixture]
public class NumberEmbeddingsTests
{
    [Test]
    public void NumbersGetAnOrderedComponentAndOtherWordsKeepTheirs()
    {
        var tokens = Vocabulary.BuildTokens(16);
        var vocab = new WordVocab(new VocabFile(1, Vocabulary.Pad, Vocabulary.Bos, Vocabulary.Eos, Vocabulary.Unk, Vocabulary.Image, tokens));
        manual_seed(3);
        using var lm = new LanguageModel(new LanguageConfig(tokens.Count, Width: 32, Depth: 1, Heads: 2, MlpHidden: 64));
        var before = lm.EmbeddingWeight.detach().clone();

        int set = NumberEmbeddings.InitOrdinal(lm, vocab, seed: 7);

        Assert.That(set, Is.EqualTo(16), "0..15");
        var delta = lm.EmbeddingWeight.detach() - before;                             // (V, D)
        long zero = vocab.Id("0"), fifteen = vocab.Id("15"), red = vocab.Id("red");
        Assert.That(delta[red].abs().max().item<float>(), Is.EqualTo(0f), "words are untouched");
        var direction = delta[fifteen] / delta[fifteen].norm();
        var along = Floats(delta.index_select(0, tensor(Enumerable.Range(0, 16).Select(v => vocab.Id(v.ToString())).ToArray())).matmul(direction));
        Assert.That(along, Is.Ordered.Ascending, "projection grows with the number");
        Assert.That(along[0], Is.EqualTo(-NumberEmbeddings.Scale).Within(1e-5));
        Assert.That(along[15], Is.EqualTo(NumberEmbeddings.Scale).Within(1e-5));
        Assert.That(zero, Is.Not.EqualTo(vocab.UnkId));
    }
}
