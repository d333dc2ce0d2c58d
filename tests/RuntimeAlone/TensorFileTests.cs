using Google.Protobuf;
using Onnx;
using Pipeline.Runtime;

namespace Pipeline.Tests.Runtime;

[TestFixture]
public class TensorFileTests
{
    static string Scratch() => Path.Combine(Path.GetTempPath(), $"pipeline-tensor-{Guid.NewGuid():N}.pb");

    [Test]
    public void FloatsAndLongsRoundTripWithTheirNames()
    {
        string path = Scratch();
        var floats = HostTensor.Float([2, 3], [1.5f, -2f, 0f, float.MaxValue, float.Epsilon, 3f]);
        TensorProtoFile.Write(path, "logits", floats);
        var (name, back) = TensorProtoFile.Read(path);
        Assert.That((name, back.Type), Is.EqualTo(("logits", ElementType.Float32)));
        Assert.That(back.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(back.Floats, Is.EqualTo(floats.Floats));

        TensorProtoFile.Write(path, "ids", HostTensor.Int64([3], [long.MinValue, 0, 7]));
        Assert.That(TensorProtoFile.Read(path).Tensor.Longs, Is.EqualTo(new[] { long.MinValue, 0, 7 }));
        File.Delete(path);
    }

    [Test]
    public void AScalarHasNoDimensions()
    {
        var proto = TensorProtoFile.ToProto("s", HostTensor.Float([], [2f]));
        Assert.That(proto.Dims, Is.Empty);
        Assert.That(TensorProtoFile.FromProto(proto).Tensor.Floats, Is.EqualTo(new[] { 2f }));
    }

    [Test]
    public void TypedDataFieldsAreReadToo()
    {
        var proto = new TensorProto { Name = "t", DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.Add(2);
        proto.FloatData.AddRange([1f, 2f]);
        Assert.That(TensorProtoFile.FromProto(proto).Tensor.Floats, Is.EqualTo(new[] { 1f, 2f }));
    }

    [Test]
    public void CorruptOrUnsupportedFilesGetAClearError()
    {
        string path = Scratch();
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        Assert.That(() => TensorProtoFile.Read(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("TensorProto"));
        var doubles = new TensorProto { Name = "d", DataType = (int)TensorProto.Types.DataType.Double };
        File.WriteAllBytes(path, doubles.ToByteArray());
        Assert.That(() => TensorProtoFile.Read(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("Double"));
        var wrongSize = TensorProtoFile.ToProto("w", HostTensor.Float([2], [1, 2]));
        wrongSize.Dims[0] = 3;
        File.WriteAllBytes(path, wrongSize.ToByteArray());
        Assert.That(() => TensorProtoFile.Read(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("3 elements"));
        File.Delete(path);
    }

    [Test]
    public void AHostTensorChecksItsShape()
    {
        Assert.That(() => HostTensor.Float([2, 2], [1, 2, 3]), Throws.ArgumentException.With.Message.Contains("4 elements"));
        Assert.That(() => HostTensor.Float([2], [1, 2]).Longs, Throws.InvalidOperationException);
    }
}
