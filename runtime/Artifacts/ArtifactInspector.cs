using Google.Protobuf;
using Onnx;

namespace Pipeline.Runtime;

/// <summary>An operator type and how many nodes use it; Domain is "" for the default ai.onnx domain.</summary>
public sealed record OpCount(string Domain, string OpType, int Count);

public sealed record OpsetImport(string Domain, long Version);

/// <summary>One ONNX file as its ModelProto describes it, beside its manifest signature.</summary>
/// <param name="Nodes">Nodes of the main graph and any subgraphs.</param>
/// <param name="InitializerBytes">Bytes of the initializers' data (raw or typed fields).</param>
public sealed record GraphInspection(
    GraphSignature Signature, long FileBytes, string Producer, long IrVersion, IReadOnlyList<OpsetImport> Opsets,
    int Nodes, IReadOnlyList<OpCount> Ops, int Initializers, long InitializerBytes);

/// <summary>An artifact's manifest and what its graphs hold; <see cref="Files"/> gives each file's size on disk now.</summary>
public sealed record ArtifactInspection(string Directory, ArtifactManifest Manifest, IReadOnlyList<GraphInspection> Graphs, IReadOnlyList<ArtifactFile> Files);

/// <summary>Reads an artifact without running it (no ONNX Runtime session, no hashing): what `pipeline inspect` prints.</summary>
public static class ArtifactInspector
{
    public static ArtifactInspection Inspect(string dir)
    {
        dir = Path.GetFullPath(dir);
        var manifest = ArtifactFiles.ReadManifest(dir);
        var graphs = manifest.Graphs.Select(g => InspectGraph(dir, g)).ToArray();
        var files = manifest.Files.Select(f => f with { Bytes = SizeOnDisk(Path.Combine(dir, f.Path)) }).ToArray();
        return new ArtifactInspection(dir, manifest, graphs, files);
    }

    static GraphInspection InspectGraph(string dir, GraphSignature signature)
    {
        string path = Path.Combine(dir, signature.File);
        var model = ReadModel(path);
        var nodes = AllNodes(model.Graph).ToArray();
        var ops = nodes.GroupBy(n => (n.Domain, n.OpType))
            .Select(g => new OpCount(g.Key.Domain, g.Key.OpType, g.Count()))
            .OrderByDescending(o => o.Count).ThenBy(o => o.Domain, StringComparer.Ordinal).ThenBy(o => o.OpType, StringComparer.Ordinal)
            .ToArray();
        var opsets = model.OpsetImport.Select(o => new OpsetImport(o.Domain, o.Version)).ToArray();
        string producer = string.IsNullOrEmpty(model.ProducerVersion) ? model.ProducerName : $"{model.ProducerName} {model.ProducerVersion}";
        return new GraphInspection(signature, new FileInfo(path).Length, producer, model.IrVersion, opsets,
            nodes.Length, ops, model.Graph.Initializer.Count, model.Graph.Initializer.Sum(DataBytes));
    }

    static ModelProto ReadModel(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{Path.GetFileName(path)} is missing from {Path.GetDirectoryName(path)}; re-export the artifact");
        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path} is not an ONNX model ({e.Message}); re-export the artifact");
        }
    }

    /// <summary>The graph's nodes and those of subgraphs held in attributes (If, Loop, Scan bodies).</summary>
    static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute
            .SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Prepend(a.G))
            .SelectMany(AllNodes)
            .Prepend(n));

    static long DataBytes(TensorProto t) => !t.RawData.IsEmpty
        ? t.RawData.Length
        : 4L * (t.FloatData.Count + t.Int32Data.Count) + 8L * (t.Int64Data.Count + t.DoubleData.Count + t.Uint64Data.Count) + t.StringData.Sum(s => (long)s.Length);

    static long SizeOnDisk(string path) => File.Exists(path) ? new FileInfo(path).Length : -1;
}
