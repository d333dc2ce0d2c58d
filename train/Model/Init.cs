using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Weight initialisation shared by the towers.</summary>
internal static class Init
{
    /// <summary>
    /// nanoGPT / HF LLaMA init: Linear and Embedding weights N(0, 0.02), biases zero. TorchSharp's
    /// default N(0, 1) embeddings would start text-token norms near √D instead of well below 1.
    /// </summary>
    public static void ApplyGpt(nn.Module root)
    {
        using var _ = no_grad();
        foreach (var module in root.modules())
        {
            switch (module)
            {
                case Linear linear:
                    nn.init.normal_(linear.weight, std: 0.02);
                    if (linear.bias is { } bias) nn.init.zeros_(bias);
                    break;
                case Embedding embedding:
                    nn.init.normal_(embedding.weight, std: 0.02);
                    break;
            }
        }
    }
}
