using Pipeline.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Between TorchSharp tensors and the host tensors ONNX Runtime reads and writes.</summary>
public static class HostTensors
{
    public static Tensor ToTorch(HostTensor t, Device? device = null) => t.Type switch
    {
        ElementType.Float32 => tensor(t.Floats, t.Shape, device: device),
        ElementType.Int64 => tensor(t.Longs, t.Shape, device: device),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t.Type, "Unsupported element type."),
    };

    public static HostTensor ToHost(Tensor t)
    {
        using var scope = NewDisposeScope();
        var c = t.detach().cpu().contiguous();
        return c.dtype switch
        {
            ScalarType.Float32 => HostTensor.Float(c.shape, c.data<float>().ToArray()),
            ScalarType.Int64 => HostTensor.Int64(c.shape, c.data<long>().ToArray()),
            var other => throw new ArgumentException($"Artifacts hold float32 and int64 tensors, not {other}.", nameof(t)),
        };
    }
}
