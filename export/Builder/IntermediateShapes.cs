using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Pipeline.Export.Builder;

/// <summary>
/// value_info for every intermediate tensor, so that Netron and other viewers show types and
/// shapes along the graph. The shapes are ONNX Runtime's own inference: a probe copy of the model
/// lists every intermediate as an output, a session is opened on it without optimisations, and its
/// output metadata is read back (named dimensions kept, unknown ones left unnamed).
/// </summary>
public static class IntermediateShapes
{
    public static void Annotate(ModelProto model)
    {
        var probe = model.Clone();
        var named = probe.Graph.Input.Select(i => i.Name)
            .Concat(probe.Graph.Output.Select(o => o.Name))
            .Concat(probe.Graph.Initializer.Select(i => i.Name))
            .ToHashSet(StringComparer.Ordinal);
        var intermediates = probe.Graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0 && named.Add(o)).ToArray();
        foreach (string name in intermediates) probe.Graph.Output.Add(new ValueInfoProto { Name = name });

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            IntraOpNumThreads = 1,
        };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        model.Graph.ValueInfo.Clear();
        foreach (string name in intermediates)
            if (session.OutputMetadata.TryGetValue(name, out var meta) && meta.IsTensor)
                model.Graph.ValueInfo.Add(ValueInfo(name, meta));
    }

    static ValueInfoProto ValueInfo(string name, NodeMetadata meta)
    {
        // ONNX Runtime numbers its element types as TensorProto.DataType does.
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)meta.ElementDataType, Shape = new TensorShapeProto() };
        for (int i = 0; i < meta.Dimensions.Length; i++)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            string symbol = i < meta.SymbolicDimensions.Length ? meta.SymbolicDimensions[i] : "";
            // No tensor of these graphs is empty: a 0 is an inference artefact (opset 23's Attention
            // probabilities), better shown as unknown than as wrong.
            if (meta.Dimensions[i] > 0) dim.DimValue = meta.Dimensions[i];
            else if (symbol.Length > 0) dim.DimParam = symbol;
            tensor.Shape.Dim.Add(dim);
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
