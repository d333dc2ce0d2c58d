using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>The compression study's pooling: average the g×g token grid down to k×k tokens.</summary>
public sealed class TokenPooling : nn.Module<Tensor, Tensor>
{
    private readonly AdaptiveAvgPool2d pool;
    private readonly int grid;

    public TokenPooling(ModelConfig config) : base(nameof(TokenPooling))
    {
        var k = config.PoolTokens ?? throw new ArgumentException("Token pooling needs PoolTokens.", nameof(config));
        grid = config.Vision.GridSize;
        pool = nn.AdaptiveAvgPool2d(k);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (b, d) = (x.shape[0], x.shape[2]);
        var g = x.reshape(b, grid, grid, d).permute(0, 3, 1, 2);  // (B, D, g, g), tokens are row-major
        return pool.call(g).flatten(2).transpose(1, 2);        // (B, k·k, D)
    }
}
