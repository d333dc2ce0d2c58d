using System.Globalization;
using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Train.Text;

/// <summary>
/// Gives the coordinate words (0, 1, … 63) an ordered start: each number's embedding gets
/// (2v/max − 1)·scale along one fixed direction. From random embeddings, stage 0b's answers alone
/// must teach the order of 64 unrelated tokens, and it sat at chance (36.8% on small, relative
/// questions 50%); with the order present, "which is smallest" is one attention score away.
/// The embeddings stay trainable.
/// </summary>
public static class NumberEmbeddings
{
    public const double Scale = 0.3;

    /// <returns>How many number tokens were set.</returns>
    public static int InitOrdinal(LanguageModel lm, WordVocab vocab, long seed)
    {
        var numbers = vocab.File.Tokens.Select((t, i) => (Ok: int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int v), Value: v, Id: (long)i))
            .Where(n => n.Ok).ToArray();
        if (numbers.Length < 2) return 0;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weight = lm.EmbeddingWeight;                                   // (V, D)
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        var direction = randn(weight.shape[1], generator: generator);
        direction /= direction.norm();                                      // (D)
        double max = numbers.Max(n => n.Value);
        var ids = tensor(numbers.Select(n => n.Id).ToArray());
        var ramp = tensor(numbers.Select(n => (float)((2 * n.Value / max - 1) * Scale)).ToArray()).unsqueeze(1);  // (K, 1)
        weight.index_add_(0, ids.to(weight.device), (ramp * direction.unsqueeze(0)).to(weight.device), 1.0);
        return numbers.Length;
    }
}
