using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class NormAdapterTests
{
    [Test]
    public void TokenNormIsTargetMeanTimesClippedRmsNormNorm()
    {
        manual_seed(3);
        var config = ModelConfig.Tiny(Vocab, Variant.Norm) with { Norm = new NormConstants(0.83, 1.22) };
        using var adapter = new NormAdapter(config);
        using var scope = NewDisposeScope();
        // Half the gains tiny, half 1: tokens living in the tiny half land below MaxNorm, the rest above.
        var gain = cat([full(16, 0.05f), ones(16)]);
        using (no_grad()) adapter.get_parameter("norm.weight")!.copy_(gain);
        var low = cat([randn(1, 3, 16), zeros(1, 3, 16)], dim: -1);
        var high = cat([zeros(1, 3, 16), randn(1, 3, 16) * 50], dim: -1);
        var x = cat([low, high, randn(1, 4, 32) * 7], dim: 1);  // (1, 10, 32)

        var y = adapter.call(x);

        var r = x * rsqrt(x.pow(2).mean([-1], keepdim: true) + 1e-6) * gain;  // RMSNorm by hand
        var rNorm = Floats(r.norm(-1));
        var yNorm = Floats(y.norm(-1));
        Assert.That(rNorm.Take(3), Has.All.LessThan(1.22f), "the low tokens exercise the unclipped branch");
        Assert.That(rNorm.Skip(3).Take(3), Has.All.GreaterThan(1.22f), "the high tokens exercise the clip");
        for (int i = 0; i < rNorm.Length; i++)
            Assert.That(yNorm[i], Is.EqualTo(0.83 * Math.Min(rNorm[i], 1.22)).Within(1e-5), $"token {i}");
        // Clipping scales; it never turns a token.
        var cosine = nn.functional.cosine_similarity(y, r, dim: -1);
        AssertClose(cosine, ones_like(cosine), 1e-5);
    }

    [TestCase(0.83, 1.22)]    // Vicuna's: the authors' formula lands at 1.01, the matched one at 0.83
    [TestCase(0.248, 0.343)]  // a small LM's: the authors' formula lands at 0.085, a third of the text mean
    public void TheMatchingRuleLandsEveryClippedTokenAtTheTextMean(double mean, double max)
    {
        manual_seed(5);
        var matched = new NormConstants(mean, max).MatchingTextMean();
        Assert.That(matched.MaxNorm, Is.EqualTo(max));
        Assert.That(matched.TargetMean * matched.MaxNorm, Is.EqualTo(mean).Within(1e-12));
        var config = ModelConfig.Tiny(Vocab, Variant.Norm) with { Norm = matched };
        using var adapter = new NormAdapter(config);
        using var scope = NewDisposeScope();
        var x = randn(2, 9, 32) * 20;  // (2, 9, 32): RMSNorm'd to norm √32 ≈ 5.7, far above either clip
        var norms = Floats(adapter.call(x).norm(-1));
        Assert.That(norms, Has.All.EqualTo((float)mean).Within(1e-5));
        using var authors = new NormAdapter(ModelConfig.Tiny(Vocab, Variant.Norm) with { Norm = new NormConstants(mean, max) });
        Assert.That(Floats(authors.call(x).norm(-1)), Has.All.EqualTo((float)(mean * max)).Within(1e-5), "the authors' formula, for contrast");
    }

    [Test]
    public void ZeroTokenStaysZero()
    {
        using var adapter = new NormAdapter(ModelConfig.Tiny(Vocab, Variant.Norm));
        using var scope = NewDisposeScope();
        var y = adapter.call(zeros(1, 2, 32));
        Assert.That(Floats(y), Has.All.EqualTo(0f));
    }

    [Test]
    public void ConstantsAreFrozenAndRequired()
    {
        using var adapter = new NormAdapter(ModelConfig.Tiny(Vocab, Variant.Norm));
        Assert.That(adapter.parameters().Count(), Is.EqualTo(1), "only the RMSNorm gain trains");
        Assert.Throws<ArgumentException>(() => new NormAdapter(ModelConfig.Tiny(Vocab, Variant.Baseline)));
    }
}
