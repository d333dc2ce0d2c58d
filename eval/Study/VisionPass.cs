using Pipeline.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Eval.Study;

/// <summary>
/// Every image through the vision graph once: the image tokens for answering, the encoder's
/// features (for the position probe), and the norms at each point of the connector.
/// </summary>
public sealed record VisionPass(HostTensor Embeddings, HostTensor Features, double[] ProjectorNorms, double[]? AdapterNorms, double[] ImageTokenNorms)
{
    public static VisionPass Run(ModelArtifact artifact, HostTensor pixels, int batchSize)
    {
        bool adapter = artifact.Manifest.Graph(VisionGraph).Outputs.Any(o => o.Name == AdapterOutput);
        string[] extra = adapter ? [EncoderFeatures, ProjectorOutput, AdapterOutput] : [EncoderFeatures, ProjectorOutput];
        var embeddings = new List<HostTensor>();
        var features = new List<HostTensor>();
        var projector = new List<double>();
        var adapted = new List<double>();
        var tokens = new List<double>();
        int n = (int)pixels.Shape[0];
        for (int start = 0; start < n; start += batchSize)
        {
            var rows = Enumerable.Range(start, Math.Min(batchSize, n - start)).ToArray();
            var outputs = artifact.EncodeImages(HostRows.Gather(pixels, rows), extra);
            embeddings.Add(outputs[ImageEmbeddings]);
            features.Add(outputs[EncoderFeatures]);
            tokens.AddRange(NormStatistics.RowNorms(outputs[ImageEmbeddings]));
            projector.AddRange(NormStatistics.RowNorms(outputs[ProjectorOutput]));
            if (adapter) adapted.AddRange(NormStatistics.RowNorms(outputs[AdapterOutput]));
        }
        return new VisionPass(HostRows.Concat(embeddings), HostRows.Concat(features), projector.ToArray(), adapter ? adapted.ToArray() : null, tokens.ToArray());
    }
}
