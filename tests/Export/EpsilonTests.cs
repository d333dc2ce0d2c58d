using Onnx;
using Pipeline.Export;
using Pipeline.Train.Model;
using TorchSharp.Modules;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Tests.Export;

/// <summary>
/// Every normalisation in the exported graphs adds the epsilon the TorchSharp module adds: a
/// changed epsilon moves the outputs less than the parity tolerance, so only this catches it.
/// </summary>
[TestFixture]
public class EpsilonTests
{
    [TestCase(Variant.NormMultilayer, ExportOpsets.Standard)]
    [TestCase(Variant.NormMultilayer, ExportOpsets.Default)]
    [TestCase(Variant.Baseline, ExportOpsets.Standard)]
    public void GraphEpsilonsAreTheModulesEpsilons(Variant variant, int opset)
    {
        var key = new ExportFixture.Key(variant);
        using var model = ExportFixture.LoadModel(key);
        var modules = model.modules().ToArray();
        var layerNorm = modules.OfType<LayerNorm>().Select(m => (float)m.eps).Distinct().ToArray();
        var rmsNorm = modules.OfType<RmsNorm>().Select(m => (float)m.Eps).Distinct().ToArray();
        Assert.That(layerNorm, Is.Not.Empty);
        Assert.That(rmsNorm, Is.Not.Empty);

        string artifact = ExportFixture.Artifact(key, opset);
        var graphs = new[] { VisionFile, LanguageFile, LanguageStepFile }.Select(f => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(artifact, f))).Graph).ToArray();
        var nodes = graphs.SelectMany(g => g.Node).ToArray();
        var layerNormEps = nodes.Where(n => n.OpType == "LayerNormalization").Select(Epsilon).Distinct().ToArray();
        var rmsEps = opset >= ExportOpsets.Standard
            ? nodes.Where(n => n.OpType == "RMSNormalization").Select(Epsilon).Distinct().ToArray()
            : graphs.SelectMany(g => g.Node.Where(n => n.Name.EndsWith("add_eps", StringComparison.Ordinal)).Select(n => Scalar(g, n.Input[1]))).Distinct().ToArray();

        Assert.That(layerNormEps, Is.EquivalentTo(layerNorm), "LayerNorm");
        Assert.That(rmsEps, Is.EquivalentTo(rmsNorm), "RMSNorm");
        int rmsNodes = opset >= ExportOpsets.Standard ? nodes.Count(n => n.OpType == "RMSNormalization") : nodes.Count(n => n.Name.EndsWith("add_eps", StringComparison.Ordinal));
        // The step graph repeats the language model's: its 2·depth + 1 RMSNorms appear twice.
        int languageRms = 2 * model.Config.Language.Depth + 1;
        Assert.That(rmsNodes, Is.EqualTo(modules.OfType<RmsNorm>().Count() + languageRms), "one graph normalisation per RMSNorm module, the language model's in both its graphs");
    }

    static float Epsilon(NodeProto n) => n.Attribute.Single(a => a.Name == "epsilon").F;

    /// <summary>A scalar constant of the graph, an initializer or a Constant node's value.</summary>
    static float Scalar(GraphProto g, string name)
    {
        var t = g.Initializer.FirstOrDefault(i => i.Name == name)
            ?? g.Node.Where(n => n.OpType == "Constant" && n.Output[0] == name).Select(n => n.Attribute.Single(a => a.Name == "value").T).Single();
        return t.FloatData.Count > 0 ? t.FloatData[0] : BitConverter.ToSingle(t.RawData.ToByteArray(), 0);
    }
}
