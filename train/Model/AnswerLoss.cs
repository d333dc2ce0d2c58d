using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Next-token cross-entropy on answer tokens only.</summary>
public static class AnswerLoss
{
    /// <param name="logits">(B, L, V) over the spliced sequence.</param>
    /// <param name="labels">(B, L) int64 aligned to the spliced sequence, ImageSplice.IgnoreIndex where no loss is wanted.</param>
    /// <returns>Scalar mean over the labelled tokens (NaN when there are none, as in PyTorch).</returns>
    public static Tensor Compute(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (length, vocab) = (logits.shape[1], logits.shape[2]);
        // Logits at t predict token t + 1.
        var predictions = logits.narrow(1, 0, length - 1).reshape(-1, vocab);  // (B·(L-1), V)
        var targets = labels.narrow(1, 1, length - 1).reshape(-1);              // (B·(L-1))
        var loss = nn.functional.cross_entropy(predictions, targets, ignore_index: ImageSplice.IgnoreIndex);
        return loss.MoveToOuterDisposeScope();
    }
}
