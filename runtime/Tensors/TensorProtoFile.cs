using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Pipeline.Runtime;

/// <summary>
/// Test vectors as serialized ONNX TensorProtos (`input_0.pb`, `output_0.pb`…), the ONNX model
/// zoo's convention, readable by onnx.numpy_helper and Polygraphy. The proto's name is the graph
/// tensor's name; data travel as little-endian raw_data.
/// </summary>
public static class TensorProtoFile
{
    public static TensorProto ToProto(string name, HostTensor tensor)
    {
        RequireLittleEndian();
        var proto = new TensorProto { Name = name, DataType = (int)ToDataType(tensor.Type) };
        proto.Dims.AddRange(tensor.Shape);
        proto.RawData = tensor.Type == ElementType.Float32
            ? ByteString.CopyFrom(MemoryMarshal.AsBytes(tensor.Floats.AsSpan()))
            : ByteString.CopyFrom(MemoryMarshal.AsBytes(tensor.Longs.AsSpan()));
        return proto;
    }

    /// <summary>A tensor from a proto with raw_data or typed float_data/int64_data fields.</summary>
    public static (string Name, HostTensor Tensor) FromProto(TensorProto proto)
    {
        RequireLittleEndian();
        long[] shape = proto.Dims.ToArray();
        var type = (TensorProto.Types.DataType)proto.DataType switch
        {
            TensorProto.Types.DataType.Float => ElementType.Float32,
            TensorProto.Types.DataType.Int64 => ElementType.Int64,
            var other => throw new InvalidDataException($"tensor '{proto.Name}' has element type {other}; test vectors hold float32 or int64"),
        };
        bool raw = !proto.RawData.IsEmpty;
        var tensor = type == ElementType.Float32
            ? HostTensor.Float(shape, raw ? MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray() : proto.FloatData.ToArray())
            : HostTensor.Int64(shape, raw ? MemoryMarshal.Cast<byte, long>(proto.RawData.Span).ToArray() : proto.Int64Data.ToArray());
        return (proto.Name, tensor);
    }

    public static void Write(string path, string name, HostTensor tensor) =>
        File.WriteAllBytes(path, ToProto(name, tensor).ToByteArray());

    public static (string Name, HostTensor Tensor) Read(string path)
    {
        TensorProto proto;
        try
        {
            proto = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path} is not a serialized TensorProto ({e.Message})");
        }
        try
        {
            return FromProto(proto);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }

    public static TensorProto.Types.DataType ToDataType(ElementType type) => type switch
    {
        ElementType.Float32 => TensorProto.Types.DataType.Float,
        ElementType.Int64 => TensorProto.Types.DataType.Int64,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an artifact element type."),
    };

    // raw_data is little-endian by the ONNX spec; reinterpreting memory is only right on such hosts.
    static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new NotSupportedException("test vectors need a little-endian host");
    }
}
