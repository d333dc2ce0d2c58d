using Pipeline.Data;
using Pipeline.Train.Model;

namespace Pipeline.Tests.Train;

[TestFixture]
public class ModelConfigTests
{
    [TestCase("baseline", Variant.Baseline)]
    [TestCase("norm", Variant.Norm)]
    [TestCase("norm-multilayer", Variant.NormMultilayer)]
    [TestCase(" Norm-Multilayer ", Variant.NormMultilayer)]
    public void VariantNamesRoundTrip(string name, Variant variant)
    {
        Assert.That(VariantNames.Parse(name), Is.EqualTo(variant));
        Assert.That(VariantNames.Parse(variant.ToCliName()), Is.EqualTo(variant));
    }

    [Test]
    public void UnknownVariantListsTheValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => VariantNames.Parse("multilayer"));
        Assert.That(e!.Message, Does.Contain("'multilayer'").And.Contain("baseline, norm, norm-multilayer"));
    }

    [TestCase(24, new[] { 12, 16, 20, 24 })]
    [TestCase(12, new[] { 6, 8, 10, 12 })]
    [TestCase(8, new[] { 4, 5, 7, 8 })]
    [TestCase(2, new[] { 1, 1, 2, 2 })]
    [TestCase(1, new[] { 1, 1, 1, 1 })]
    public void TapLayersScaleThePapersLayers(int depth, int[] taps) =>
        Assert.That(new VisionConfig(Depth: depth).TapLayers, Is.EqualTo(taps));

    [TestCase(24, new[] { 4, 12, 20, 24 })]
    [TestCase(8, new[] { 1, 4, 7, 8 })]
    [TestCase(6, new[] { 1, 3, 5, 6 })]
    [TestCase(2, new[] { 1, 1, 2, 2 })]
    public void ShallowTapMovesTheSecondTapToASixthOfTheDepth(int depth, int[] taps) =>
        Assert.That(new VisionConfig(Depth: depth, ShallowTap: true).TapLayers, Is.EqualTo(taps));

    [TestCase(24, 23)]
    [TestCase(8, 7)]
    [TestCase(2, 1)]
    [TestCase(1, 1)]
    public void FeatureLayerIsThePenultimate(int depth, int layer) =>
        Assert.That(new VisionConfig(Depth: depth).FeatureLayer, Is.EqualTo(layer));

    [Test]
    public void DefaultsMatchTheDesignsSmallModel()
    {
        var v = new VisionConfig();
        Assert.That((v.GridSize, v.NumPatches), Is.EqualTo((8, 64)));
        var c = new ModelConfig(v, new LanguageConfig(100), Variant.NormMultilayer, Norm: NormConstants.Paper).Validate();
        Assert.That((c.ProjectorInFeatures, c.NumImageTokens), Is.EqualTo((512, 64)));
        Assert.That((c with { PoolTokens = 3 }).NumImageTokens, Is.EqualTo(9));
    }

    [Test]
    public void DefaultImageTokenIsTheVocabularysPlaceholder() =>
        Assert.That(ModelConfig.DefaultImageTokenId, Is.EqualTo(Array.IndexOf(Vocabulary.Specials, Vocabulary.Image)));

    [Test]
    public void TinyIsValidForEveryVariant()
    {
        foreach (var v in Enum.GetValues<Variant>())
            Assert.DoesNotThrow(() => ModelConfig.Tiny(TrainTestUtil.Vocab, v).Validate());
    }

    [Test]
    public void ValidateNamesTheBadSetting()
    {
        var tiny = ModelConfig.Tiny(TrainTestUtil.Vocab, Variant.Norm);
        Assert.Multiple(() =>
        {
            Expect(tiny with { Vision = tiny.Vision with { Width = 33 } }, "not divisible by its 2 heads");
            Expect(tiny with { Language = tiny.Language with { Heads = 3 } }, "not divisible by its 3 heads");
            Expect(tiny with { Vision = tiny.Vision with { ImageSize = 18 } }, "not divisible by patch size");
            Expect(tiny with { PoolTokens = 5 }, "PoolTokens 5 must lie in [1, 4]");
            Expect(tiny with { PoolTokens = 0 }, "PoolTokens 0");
            Expect(tiny with { Norm = null }, "'norm' needs norm constants");
            Expect(tiny with { ImageTokenId = TrainTestUtil.Vocab }, "outside the vocabulary");
        });
        Assert.DoesNotThrow(() => (tiny with { Variant = Variant.Baseline, Norm = null }).Validate());
    }

    static void Expect(ModelConfig config, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => config.Validate());
        Assert.That(e!.Message, Does.Contain(fragment));
    }
}
