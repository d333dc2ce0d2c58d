using Pipeline.Runtime;
using Pipeline.Train.Text;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>The TorchSharp model as an <see cref="IAnswerer"/>: eager, in eval mode, without gradients.</summary>
public sealed class TorchAnswerer : IAnswerer
{
    readonly VisionLanguageModel _model;
    readonly WordVocab _vocab;
    readonly Device _device;

    public TorchAnswerer(VisionLanguageModel model, WordVocab vocab, Device? device = null)
    {
        _model = model;
        _vocab = vocab;
        _device = device ?? CPU;
        _model.eval();
    }

    public HostTensor EncodeImages(HostTensor pixels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return HostTensors.ToHost(_model.ProjectFeatures(_model.EncodeImage(HostTensors.ToTorch(pixels, _device))));  // (B, M, D)
    }

    public long[][] Generate(HostTensor imageTokens, IReadOnlyList<long[]> prompts, int maxNewTokens)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (ids, mask) = PromptBatch.PadRight(prompts, _vocab.PadId);
        return _model.GenerateGreedy(HostTensors.ToTorch(imageTokens, _device), HostTensors.ToTorch(ids, _device), maxNewTokens, _vocab.EosId, HostTensors.ToTorch(mask, _device));
    }

    public string Decode(long[] ids) => _vocab.Decode(ids);
}
