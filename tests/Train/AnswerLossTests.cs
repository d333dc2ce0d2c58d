using Pipeline.Train.Model;
using static Pipeline.Tests.Train.TrainTestUtil;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train;

[TestFixture]
public class AnswerLossTests
{
    // Answers at spliced positions 5 (row 0) and 6, 7 (row 1): predicted by the logits one step earlier.
    [Test]
    public void MeanCrossEntropyOverAnswerTokensWithShift()
    {
        manual_seed(12);
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { -100, -100, -100, -100, -100, 3, -100, -100, -100, -100, -100, -100, -100, -100, 9, 2 }, [2, 8]);
        var logits = randn(2, 8, Vocab);

        var loss = AnswerLoss.Compute(logits, labels).item<float>();

        var logp = logits.log_softmax(-1);
        var byHand = -(logp[0, 4, 3] + logp[1, 5, 9] + logp[1, 6, 2]).item<float>() / 3;
        Assert.That(loss, Is.EqualTo(byHand).Within(1e-5));
    }

    [Test]
    public void IgnoredPositionsContributeNothing()
    {
        manual_seed(13);
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { -100, -100, -100, -100, -100, 3, -100, -100, -100, -100, -100, -100, -100, -100, 9, 2 }, [2, 8]);
        var logits = randn(2, 8, Vocab).requires_grad_();
        var loss = AnswerLoss.Compute(logits, labels);
        loss.backward();

        var changed = logits.detach().clone();
        var predictive = new[] { (0, 4), (1, 5), (1, 6) };
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 8; t++)
                if (!predictive.Contains((b, t))) changed[b, t] = randn(Vocab) * 10;

        Assert.That(AnswerLoss.Compute(changed, labels).item<float>(), Is.EqualTo(loss.item<float>()).Within(1e-6));
        var gradNorms = Floats(logits.grad!.abs().sum(-1));         // (2 × 8)
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 8; t++)
                Assert.That(gradNorms[b * 8 + t] > 0, Is.EqualTo(predictive.Contains((b, t))), $"gradient at ({b}, {t})");
    }
}
