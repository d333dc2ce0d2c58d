using System.Text.Json;
using Onnx;
using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Training;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Tests.Export;

/// <summary>What the artifact folder holds: manifest, hashes, signatures, ONNX metadata, readable names, model card.</summary>
[TestFixture]
public class ArtifactFormatTests
{
    static readonly ExportFixture.Key NormMultilayer = new(Variant.NormMultilayer);

    static ModelProto Onnx(string artifact, string file) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(artifact, file)));

    [Test]
    public void TheFolderHoldsTheDesignsFiles()
    {
        string artifact = ExportFixture.Artifact(NormMultilayer, ExportOpsets.Default);
        var top = Directory.EnumerateFileSystemEntries(artifact).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.That(top, Is.EqualTo(new[] { ModelCardFile, LanguageFile, LanguageStepFile, ArtifactManifest.FileName, TestDataFolder, VisionFile, ArtifactNames.VocabFile }));
        Assert.That(Directory.EnumerateDirectories(Path.Combine(artifact, TestDataFolder)).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { LanguageGraph, LanguageStepGraph, VisionGraph }), "one test set per graph");
        foreach (var graph in ArtifactFiles.ReadManifest(artifact).Graphs)
        {
            // The model zoo's convention: input_N / output_N follow the graph's own input and output order.
            string set = Path.Combine(artifact, TestSetFolder(graph.Name));
            var expected = graph.Inputs.Select((t, i) => ($"input_{i}.pb", t.Name)).Concat(graph.Outputs.Select((t, i) => ($"output_{i}.pb", t.Name)));
            var found = Directory.EnumerateFiles(set).Select(f => (Path.GetFileName(f), TensorProtoFile.Read(f).Name));
            Assert.That(found, Is.EquivalentTo(expected), graph.Name);
        }
        Assert.That(File.ReadAllBytes(Path.Combine(artifact, ArtifactNames.VocabFile)), Is.EqualTo(File.ReadAllBytes(Path.Combine(ExportFixture.Checkpoint(NormMultilayer), CheckpointFiles.VocabFile))));
    }

    /// <summary>
    /// Viewers show a shape on every edge (value_info for each intermediate, with a type), and ONNX
    /// Runtime reads back every declared output shape without a dimension of 0 (opset 23's Attention
    /// probabilities once came out with a key length of 0).
    /// </summary>
    [TestCase(ExportOpsets.Default)]
    [TestCase(ExportOpsets.Standard)]
    public void EveryTensorHasItsShapeAndNoOutputADimensionOfZero(int opset)
    {
        string artifact = ExportFixture.Artifact(NormMultilayer, opset);
        foreach (string file in new[] { VisionFile, LanguageFile, LanguageStepFile })
        {
            var graph = Onnx(artifact, file).Graph;
            var boundary = graph.Output.Select(o => o.Name).Concat(graph.Input.Select(i => i.Name)).ToHashSet();
            var intermediates = graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0 && !boundary.Contains(o)).Distinct().Order(StringComparer.Ordinal);
            Assert.That(graph.ValueInfo.Select(v => v.Name).Order(StringComparer.Ordinal), Is.EqualTo(intermediates), $"{file}: value_info for every intermediate");
            Assert.That(graph.ValueInfo, Has.All.Matches<ValueInfoProto>(v => v.Type.TensorType.ElemType != 0 && v.Type.TensorType.Shape is not null), file);

            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(artifact, file));
            foreach (var (name, meta) in session.OutputMetadata)
                Assert.That(meta.Dimensions, Has.None.EqualTo(0), $"{file} output {name}: [{string.Join(", ", meta.Dimensions)}]");
        }
    }

    [Test]
    public void TheManifestHashesEveryFileAndCatchesTampering()
    {
        string artifact = ExportFixture.Artifact(NormMultilayer, ExportOpsets.Default);
        var manifest = ArtifactFiles.ReadManifest(artifact);
        var onDisk = Directory.EnumerateFiles(artifact, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(artifact, f).Replace('\\', '/')).Where(p => p != ArtifactManifest.FileName).Order(StringComparer.Ordinal);
        Assert.That(manifest.Files.Select(f => f.Path), Is.EqualTo(onDisk));
        foreach (var file in manifest.Files)
        {
            Assert.That(file.Sha256, Is.EqualTo(Pipeline.Core.Sha256.OfFile(Path.Combine(artifact, file.Path))), file.Path);
            Assert.That(file.Bytes, Is.EqualTo(new FileInfo(Path.Combine(artifact, file.Path)).Length), file.Path);
        }
        Assert.That(() => ArtifactFiles.VerifyFiles(artifact, manifest), Throws.Nothing);

        string copy = CopyOf(artifact);
        TestFiles.FlipByte(Path.Combine(copy, VisionFile), 0x01);
        Assert.That(() => ArtifactFiles.VerifyFiles(copy, manifest), Throws.InstanceOf<InvalidDataException>().With.Message.Contains(VisionFile).And.Message.Contains("SHA-256"));
        File.Delete(Path.Combine(copy, TestSetFolder(LanguageGraph), "output_2.pb"));
        Assert.That(() => ArtifactFiles.VerifyFiles(copy, manifest), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("missing"));
    }

    [Test]
    public void TheManifestRecordsTheModelTheAdaptersAndWhereTheyCameFrom()
    {
        string artifact = ExportFixture.Artifact(NormMultilayer, ExportOpsets.Standard);
        var m = ArtifactFiles.ReadManifest(artifact);
        var config = ExportFixture.Config(NormMultilayer);
        Assert.Multiple(() =>
        {
            Assert.That(m.FormatVersion, Is.EqualTo(ArtifactManifest.CurrentFormatVersion));
            Assert.That((m.Opset, m.IrVersion), Is.EqualTo((23, 11L)));
            Assert.That(m.Variant, Is.EqualTo("norm-multilayer"));
            Assert.That(m.Producer.Name, Is.EqualTo(ArtifactExporter.ProducerName));
            Assert.That(m.Producer.Reference, Does.StartWith("TorchSharp 0.107"));
            Assert.That((m.Adapters.TargetMean, m.Adapters.MaxNorm, m.Adapters.RmsNormEps), Is.EqualTo(((double?)0.61, (double?)1.37, (double?)1e-6)));
            Assert.That(m.Adapters.EncoderLayers, Is.EqualTo(config.Vision.TapLayers));
            Assert.That(m.Adapters.NumImageTokens, Is.EqualTo(config.NumImageTokens));
            Assert.That(m.Preprocessing.ImageSize, Is.EqualTo(ExportFixture.ImageSize));
            Assert.That(m.Prompt.Template, Is.EqualTo(Pipeline.Train.Text.Prompts.QuestionTemplate));
            Assert.That(m.Prompt.ImageTokenId, Is.EqualTo(config.ImageTokenId));
            Assert.That(m.ModelConfig.GetProperty("variant").GetString(), Is.EqualTo("norm-multilayer"));
            Assert.That(m.Training.Checkpoint, Is.EqualTo("stages/norm-multilayer/2-qa/checkpoint"));
            Assert.That(m.Training.CheckpointSha256, Is.EqualTo(Pipeline.Core.Sha256.OfFile(Path.Combine(ExportFixture.Checkpoint(NormMultilayer), StageRunner.ModelFile))));
            Assert.That(m.Training.Evaluation?.GetProperty("overall").GetDouble(), Is.EqualTo(0.42));
            Assert.That(m.Training.FinalStage?.GetProperty("step").GetInt32(), Is.EqualTo(20));
            Assert.That(m.Training.Dataset?.Split, Is.EqualTo("train"));
            Assert.That(m.Training.Dataset?.ManifestSha256, Has.Length.EqualTo(64));
            Assert.That((m.TestData.Atol, m.TestData.Rtol), Is.EqualTo((1e-4, 1e-3)));
        });
        // The config in the manifest is the checkpoint's, readable by the training code.
        var roundTrip = JsonSerializer.Serialize(m.ModelConfig);
        Assert.That(roundTrip, Does.Contain("\"norm-multilayer\""));
    }

    [Test]
    public void SignaturesListTheIntermediatesAndMatchTheGraphs()
    {
        foreach (var opset in ExportOpsets.Supported)
        {
            string artifact = ExportFixture.Artifact(NormMultilayer, opset);
            var m = ArtifactFiles.ReadManifest(artifact);
            var vision = m.Graph(VisionGraph);
            var language = m.Graph(LanguageGraph);
            Assert.That(vision.Inputs.Select(i => i.Name), Is.EqualTo(new[] { Pixels }));
            Assert.That(vision.Outputs.Select(o => (o.Name, o.Intermediate)), Is.EqualTo(new[]
            {
                (ImageEmbeddings, false), (EncoderFeatures, true), (ProjectorOutput, true), (AdapterOutput, true),
            }));
            Assert.That(language.Inputs.Select(i => i.Name), Is.EqualTo(new[] { ImageEmbeddings, InputIds, AttentionMask }));
            Assert.That(language.Outputs.Select(o => (o.Name, o.Intermediate)), Is.EqualTo(new[]
            {
                (Logits, false), (TextEmbeddings, true), (ImageStart, true), (AttentionProbs(0), true), (AttentionProbs(1), true), (HiddenStates, true),
                (PresentKey(0), false), (PresentValue(0), false), (PresentKey(1), false), (PresentValue(1), false),
            }));
            Assert.That(language.Output(PresentKey(1)).Shape.Select(d => d.ToString()), Is.EqualTo(new[] { Batch, "2", Sequence, "16" }));
            // The step graph reads the language graph's cache under the past_key_values names, then the new tokens.
            var step = m.Graph(LanguageStepGraph);
            Assert.That(step.Inputs.Select(i => i.Name), Is.EqualTo(new[] { PastKey(0), PastValue(0), PastKey(1), PastValue(1), InputIds, PositionIds, AttentionMask }));
            Assert.That(step.Input(PastKey(0)).Shape.Select(d => d.ToString()), Is.EqualTo(new[] { Batch, "2", PastSequence, "16" }));
            Assert.That(step.Input(AttentionMask).Shape.Select(d => d.ToString()), Is.EqualTo(new[] { Batch, TotalSequence }));
            Assert.That(step.Outputs.Select(o => (o.Name, o.Intermediate)), Is.EqualTo(new[] { (Logits, false) }));
            Assert.That(step.Output(Logits).Shape.Select(d => d.ToString()), Is.EqualTo(new[] { Batch, NewTokens, "64" }));
            Assert.That(language.Output(Logits).Shape.Select(d => d.ToString()), Is.EqualTo(new[] { Batch, Sequence, "64" }));
            Assert.That(language.Inputs[1].Shape.Select(d => d.ToString()), Is.EqualTo(new[] { Batch, TextLength }));
            foreach (var g in m.Graphs)
            {
                using var session = OrtGraphSession.Open(Path.Combine(artifact, g.File));
                Assert.That(() => session.CheckSignature(g), Throws.Nothing, $"{g.Name} opset {opset}");
            }
        }
    }

    [TestCase(ExportOpsets.Default)]
    [TestCase(ExportOpsets.Standard)]
    public void OnnxFilesCarryProducerDocMetadataAndReadableNames(int opset)
    {
        string artifact = ExportFixture.Artifact(NormMultilayer, opset);
        var vision = Onnx(artifact, VisionFile);
        var language = Onnx(artifact, LanguageFile);
        foreach (var model in new[] { vision, language })
        {
            Assert.That(model.ProducerName, Is.EqualTo(ArtifactExporter.ProducerName));
            Assert.That(model.ProducerVersion, Is.Not.Empty);
            Assert.That(model.DocString, Is.Not.Empty);
            Assert.That(model.Graph.DocString, Is.Not.Empty);
            Assert.That(model.OpsetImport.Single().Version, Is.EqualTo(opset));
            Assert.That(model.IrVersion, Is.EqualTo(ExportOpsets.IrVersion(opset)));
            var meta = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.That(meta["pipeline.variant"], Is.EqualTo("norm-multilayer"));
            Assert.That(meta["pipeline.norm_target_mean"], Is.EqualTo("0.61"));
            Assert.That(model.Graph.Node.Select(n => n.Name), Is.Unique);
            Assert.That(model.Graph.Output.All(o => o.DocString.Length > 0), "outputs are documented");
            Assert.That(model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam, Is.EqualTo(Batch), "dynamic batch");
        }
        var visionNodes = vision.Graph.Node.Select(n => n.Name).ToArray();
        var languageNodes = language.Graph.Node.Select(n => n.Name).ToArray();
        Assert.That(visionNodes, Does.Contain("vision/layer1/mlp/c_fc/matmul").And.Contain("vision/norm_adapter/clip").And.Contain("vision/multilayer_adapter/concat"));
        Assert.That(languageNodes, Does.Contain("language_model/splice/embeds").And.Contain("language_model/layer0/attn/o_proj/matmul"));
        Assert.That(vision.Graph.Initializer.Select(i => i.Name), Does.Contain("vision_tower.blocks.0.attn.c_attn.weight.T"));
        if (opset == ExportOpsets.Default)
        {
            Assert.That(languageNodes, Does.Contain("language_model/layer0/attn/softmax").And.Contain("language_model/layer1/attn/rope_q/rotate_half"));
            Assert.That(vision.Graph.Node.Concat(language.Graph.Node).Select(n => n.OpType), Has.None.AnyOf("RMSNormalization", "RotaryEmbedding", "Attention", "Gelu"));
        }
        else
        {
            var ops = language.Graph.Node.Select(n => n.OpType).ToHashSet();
            Assert.That(ops, Does.Contain("RMSNormalization").And.Contain("RotaryEmbedding").And.Contain("Attention"));
            Assert.That(ops, Does.Not.Contain("Softmax"), "attention is the standard operator, not decomposed");
        }
    }

    [Test]
    public void TheModelCardSaysWhatItIsHowToUseItAndItsLimits()
    {
        string artifact = ExportFixture.Artifact(NormMultilayer, ExportOpsets.Default);
        string card = File.ReadAllText(Path.Combine(artifact, ModelCardFile));
        Assert.That(card, Does.Contain("norm-multilayer").And.Contain("## Use").And.Contain("## Training").And.Contain("## Limits").And.Contain("## Validation"));
        Assert.That(card, Does.Contain("| **overall** | **42.0%** |"), "2DS scores from eval.json");
        Assert.That(card, Does.Contain("`language_model/logits`"), "the export's parity table");
        Assert.That(card, Does.Contain(Pipeline.Train.Text.Prompts.QuestionTemplate));
    }

    static string CopyOf(string dir)
    {
        string copy = ExportFixture.Scratch("copy");
        TestFiles.CopyDirectory(dir, copy);
        return copy;
    }
}
