using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class CausalSelfAttentionTests
{
    static readonly LanguageConfig Config = new(Vocab, Width: 32, Heads: 2);
    static Tensor Positions(int b, int t) => arange(t, dtype: int64).expand(b, t);

    [TestCase(false)]
    [TestCase(true)]
    public void LaterTokensDoNotChangeEarlierOutputs(bool outputProbs)
    {
        manual_seed(9);
        using var attn = new CausalSelfAttention(Config);
        using var scope = NewDisposeScope();
        var x = randn(1, 6, 32);
        var changed = x.clone();
        changed[0, 4] = randn(32);

        var (a, _, _, _) = attn.call(x, Positions(1, 6), null, outputProbs);
        var (b, _, _, _) = attn.call(changed, Positions(1, 6), null, outputProbs);

        AssertClose(b.narrow(1, 0, 4), a.narrow(1, 0, 4), 1e-6, "before the change");
        Assert.That((b[0, 4] - a[0, 4]).abs().max().item<float>(), Is.GreaterThan(1e-4f), "at the change");
    }

    [Test]
    public void PaddedKeysAreIgnored()
    {
        manual_seed(10);
        using var attn = new CausalSelfAttention(Config);
        using var scope = NewDisposeScope();
        var x = randn(2, 5, 32);
        var changed = x.clone();
        changed[0, 1] = randn(32);                                   // a padded slot in row 0
        var mask = tensor(new long[] { 1, 0, 1, 1, 0, 1, 1, 1, 1, 1 }, [2, 5]);

        var (a, probs, _, _) = attn.call(x, Positions(2, 5), mask, true);
        var (b, _, _, _) = attn.call(changed, Positions(2, 5), mask, false);

        foreach (var t in new[] { 0, 2, 3 })
            AssertClose(b[0, t], a[0, t], 1e-5, $"row 0, token {t}");
        AssertClose(b[1], a[1], 1e-6, "row 1 untouched");
        var p = probs!;                                              // (B, H, T, T)
        Assert.That(p.shape, Is.EqualTo(new long[] { 2, 2, 5, 5 }));
        AssertClose(p.sum(-1), ones(2, 2, 5), 1e-5, "rows sum to 1");
        Assert.That(Floats(p[0, TensorIndex.Colon, TensorIndex.Colon, 1]), Has.All.EqualTo(0f), "no weight on the padded key");
        Assert.That(Floats(p.triu(1)), Has.All.EqualTo(0f), "no weight on the future");
    }

    [Test]
    public void FusedAndExplicitPathsAgree()
    {
        manual_seed(11);
        using var attn = new CausalSelfAttention(Config);
        using var scope = NewDisposeScope();
        var x = randn(2, 7, 32);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1 }, [2, 7]);
        var (fused, none, _, _) = attn.call(x, Positions(2, 7), mask, false);
        var (explicitOut, _, _, _) = attn.call(x, Positions(2, 7), mask, true);
        Assert.That(none, Is.Null);
        AssertClose(fused, explicitOut, 1e-5);
    }
}
