using System.Collections;
using System.Text.Json.Nodes;
using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Tests.Build;
using Pipeline.Train.Model;
using Pipeline.Train.Training;
using TorchSharp.PyBridge;
using static Pipeline.Runtime.ArtifactNames;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Training;

/// <summary>
/// A model trained in PyTorch enters the pipeline: tests/Fixtures/pytorch-import holds a tiny
/// norm-multilayer model written by tools/pytorch_reference (PyTorch 1.13, its own implementation of
/// the architecture) and PyTorch's outputs on a fixed batch. Imported, exported and run under ONNX
/// Runtime, it must give PyTorch's outputs within the artifact's tolerances; a state dict that does
/// not fit the config is refused in one line. No Python runs here.
/// </summary>
public sealed class CheckpointImportTests
{
    static string Fixture(string file) => Path.Combine(MSBuildRunner.RepoRoot, "tests", "Fixtures", "pytorch-import", file);

    static ImportResult Import(string config, string? scratch = null) => CheckpointImport.Import(new ImportOptions(
        Fixture("model.pt"), config, Fixture("vocab.json"), scratch ?? Path.Combine(TestScratch.Dir("import"), "checkpoint")));

    [TestCase(ExportOpsets.Default)]
    [TestCase(ExportOpsets.Standard)]
    public void TheOnnxExportOfAPyTorchModelGivesPyTorchsOutputs(int opset)
    {
        var imported = Import(Fixture("config.json"));
        Assert.That(imported.Config.Variant, Is.EqualTo(Variant.NormMultilayer));
        var export = ArtifactExporter.Export(new ExportOptions(imported.Directory, TestScratch.Dir("import-artifact"), opset));
        var manifest = ArtifactFiles.ReadManifest(export.Directory);
        var tolerance = new Tolerance(manifest.TestData.Atol, manifest.TestData.Rtol);

        var reference = PyTorchReference();
        using var sessions = ArtifactSessions.Open(export.Directory, manifest);
        var vision = sessions[VisionGraph].Run(new Dictionary<string, HostTensor> { [Pixels] = reference["pixels"] }, [ImageEmbeddings]);
        var language = sessions[LanguageGraph].Run(new Dictionary<string, HostTensor>
        {
            [ImageEmbeddings] = vision[ImageEmbeddings],
            [InputIds] = reference["input_ids"],
            [AttentionMask] = reference["attention_mask"],
        }, [Logits, HiddenStates, TextEmbeddings]);

        var rows = new[]
        {
            TensorComparison.Compare(ImageEmbeddings, vision[ImageEmbeddings], reference["image_embeddings"], tolerance),
            TensorComparison.Compare(Logits, language[Logits], reference["logits"], tolerance),
            TensorComparison.Compare(HiddenStates, language[HiddenStates], reference["hidden_states"], tolerance),
            TensorComparison.Compare(TextEmbeddings, language[TextEmbeddings], reference["text_embeddings"], tolerance),
        };
        foreach (var row in rows)
        {
            TestContext.Out.WriteLine($"{row.Name}: max abs {row.MaxAbs:G3}, max rel {row.MaxRel:G3}");
            Assert.That(row.Passed, $"{row.Name} differs from PyTorch: max abs {row.MaxAbs:G3}, max rel {row.MaxRel:G3}, {row.Mismatches}/{row.Count} {row.Problem}");
        }
        Assert.That(ArtifactValidator.Validate(export.Directory, new SessionSettings()).Passed, Is.True, "the imported model validates like one trained here");
    }

    /// <summary>The same weights as safetensors (written by the fixture script) give the same checkpoint, byte for byte.</summary>
    [Test]
    public void SafetensorsAndAPickledStateDictGiveTheSameCheckpoint()
    {
        var pickled = Import(Fixture("config.json"));
        var safetensors = CheckpointImport.Import(new ImportOptions(
            Fixture("model.safetensors"), Fixture("config.json"), Fixture("vocab.json"), Path.Combine(TestScratch.Dir("import"), "checkpoint")));
        Assert.That(safetensors.Tensors, Is.EqualTo(pickled.Tensors));
        Assert.That(File.ReadAllBytes(Path.Combine(safetensors.Directory, StageRunner.ModelFile)),
            Is.EqualTo(File.ReadAllBytes(Path.Combine(pickled.Directory, StageRunner.ModelFile))));
    }

    [Test]
    public void AStateDictThatDoesNotFitTheConfigIsRefusedInOneLine()
    {
        var deeper = JsonNode.Parse(File.ReadAllText(Fixture("config.json")))!;
        deeper["language"]!["depth"] = 3;
        deeper["vision"]!["width"] = 48;
        string config = Path.Combine(TestScratch.Dir("import-config"), "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, deeper.ToJsonString());
        string outDir = Path.Combine(TestScratch.Dir("import"), "checkpoint");

        var error = Assert.Throws<InvalidDataException>(() => Import(config, outDir))!;
        Assert.That(error.Message, Does.Not.Contain('\n'));
        Assert.That(error.Message, Does.Contain("missing language_model.layers.2.").And.Contain("vision_tower.pos_embed is (1, 16, 32) where the config needs (1, 16, 48)"));
        Assert.That(Directory.Exists(outDir), Is.False, "nothing is written");
    }

    [Test]
    public void NormConstantsThatDifferFromTheWeightsAreRefused()
    {
        var config = JsonNode.Parse(File.ReadAllText(Fixture("config.json")))!;
        config["norm"]!["target_mean"] = 0.5;
        string path = Path.Combine(TestScratch.Dir("import-config"), "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, config.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => Import(path))!;
        Assert.That(error.Message, Does.Contain("the norm adapter's buffers").And.Contain("(0.5, "));
    }

    [Test]
    public void AFileThatIsNotAStateDictIsRefusedInOneLine()
    {
        string bogus = Path.Combine(TestScratch.Dir("import-bogus"), "model.pt");
        Directory.CreateDirectory(Path.GetDirectoryName(bogus)!);
        File.WriteAllText(bogus, "not a pickle");
        var error = Assert.Throws<InvalidDataException>(() => CheckpointImport.Import(new ImportOptions(
            bogus, Fixture("config.json"), Fixture("vocab.json"), Path.Combine(TestScratch.Dir("import"), "checkpoint"))))!;
        Assert.That(error.Message, Does.StartWith(bogus).And.Contain("is not a PyTorch state dict").And.Not.Contain('\n'));
    }

    /// <summary>The inputs PyTorch saw and what it computed, as host tensors.</summary>
    static Dictionary<string, HostTensor> PyTorchReference()
    {
        using var scope = NewDisposeScope();
        var table = PyTorchUnpickler.UnpickleStateDict(Fixture("reference.pt"));
        return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => HostTensors.ToHost((Tensor)e.Value!));
    }
}
