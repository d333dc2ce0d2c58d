using System.Globalization;
using System.Text;
using Pipeline.Runtime;
using Pipeline.Train.Training;

namespace Pipeline.Export;

/// <summary>The artifact's README.md: what it is, how to feed it, where it came from, how well it does and where it stops.</summary>
public static class ModelCard
{
    public static string Write(ArtifactManifest m, EvalResult? evaluation, IReadOnlyList<ReferenceItem> batch, IReadOnlyList<ParityRow> parity)
    {
        var s = new StringBuilder();
        var a = m.Adapters;
        s.AppendLine($"# {m.Name}").AppendLine();
        s.AppendLine($"A small LLaVA-style vision-language model, variant **`{m.Variant}`**, exported to ONNX (opset {m.Opset}, IR {m.IrVersion}) " +
            $"by {m.Producer.Name} {m.Producer.Version}. It reproduces, at laptop scale, *Beyond Semantics: Rediscovering Spatial Awareness in " +
            "Vision-Language Models* (Qi, Liu, Tang, Zhu) on the synthetic 2DS benchmark.").AppendLine();
        s.AppendLine(Variant(m)).AppendLine();
        s.AppendLine(m.Opset >= 23
            ? "Opset 23: RMSNorm, RoPE and attention use the standard `RMSNormalization`, `RotaryEmbedding` and `Attention` operators."
            : "Opset 17: RMSNorm, RoPE and attention are decomposed into primitive operators, so the graphs load in ONNX Runtime ≥ 1.14 and other runtimes.").AppendLine();

        s.AppendLine("## Use").AppendLine();
        s.AppendLine($"1. Image: RGB, {m.Preprocessing.ImageSize}×{m.Preprocessing.ImageSize}, `{m.Preprocessing.Formula}` → `pixels` of `{ArtifactNames.VisionFile}`.");
        s.AppendLine($"2. Prompt: `{m.Prompt.Template}` tokenized with `{m.Prompt.VocabFile}` ({m.Prompt.Tokenization}); exactly one `{m.Prompt.ImageToken}` (id {m.Prompt.ImageTokenId}) per row; batches right-padded with id {m.Prompt.PadId} and `attention_mask` 0.");
        s.AppendLine($"3. `{ArtifactNames.LanguageFile}` takes `image_embeddings` (from the vision graph), `input_ids` and `attention_mask`, splices the {a.NumImageTokens} image tokens in at the placeholder and returns `logits` over the spliced sequence of text length + {a.NumImageTokens - 1} tokens.");
        s.AppendLine($"4. Greedy decoding: a row with n real prompt tokens reads its next token from position n − 1 + {a.NumImageTokens - 1}; append it, stop at id {m.Prompt.EosId}.");
        if (m.Graphs.Any(g => g.Name == ArtifactNames.LanguageStepGraph))
            s.AppendLine($"5. With a cache: `{ArtifactNames.LanguageFile}` also returns each layer's `present.i.key` / `present.i.value`; `{ArtifactNames.LanguageStepFile}` takes them as " +
                $"`past_key_values.i.*` with the tokens generated so far (`input_ids`, their `position_ids` n − 1 + {a.NumImageTokens} onwards, `attention_mask` over the cache then the new tokens) " +
                "and returns their `logits`, so later steps do not re-read the prompt.");
        s.AppendLine();

        foreach (var g in m.Graphs)
        {
            s.AppendLine($"### `{g.File}`").AppendLine().AppendLine(g.Description).AppendLine();
            s.AppendLine("| | name | type | shape | meaning |").AppendLine("|---|---|---|---|---|");
            foreach (var i in g.Inputs) s.AppendLine($"| input | `{i.Name}` | {i.ElementType} | ({string.Join(", ", i.Shape)}) | {i.Description} |");
            foreach (var o in g.Outputs) s.AppendLine($"| {(o.Intermediate ? "intermediate" : "output")} | `{o.Name}` | {o.ElementType} | ({string.Join(", ", o.Shape)}) | {o.Description} |");
            s.AppendLine();
        }

        s.AppendLine("## Adapters").AppendLine();
        s.AppendLine($"- encoder layers read: {string.Join(", ", a.EncoderLayers)}{(a.Multilayer ? " (each through the encoder's final LayerNorm, concatenated)" : " (no final LayerNorm)")}");
        s.AppendLine(a.NormAdapter
            ? $"- norm adapter: RMSNorm (eps {a.RmsNormEps?.ToString("0e0", CultureInfo.InvariantCulture)}), L2 norm clipped to {Num(a.MaxNorm)}, scaled by {Num(a.TargetMean)}"
            : "- no norm adapter");
        s.AppendLine(a.PoolTokens is int k ? $"- tokens average-pooled to {k}×{k}" : $"- no pooling: {a.NumImageTokens} image tokens").AppendLine();

        s.AppendLine("## Training").AppendLine();
        var t = m.Training;
        s.AppendLine($"- checkpoint: `{t.Checkpoint}` (weights SHA-256 `{t.CheckpointSha256[..16]}…`)");
        s.AppendLine(t.Dataset is { } d
            ? $"- data: {d.Generator} {d.Split} split, seed {d.Seed}, {d.Images} images, {d.Questions} questions (dataset.json SHA-256 `{d.ManifestSha256[..16]}…`)"
            : "- data: not recorded (the checkpoint was exported outside its run folder)");
        s.AppendLine();
        if (evaluation is { } e)
        {
            s.AppendLine($"2DS-test, {e.Questions} questions, greedy decoding, exact match (the paper used a GPT-4o-mini judge with sampling):").AppendLine();
            s.AppendLine("| category | accuracy | chance |").AppendLine("|---|---:|---:|");
            foreach (var (category, acc) in e.PerCategory)
                s.AppendLine($"| {category} | {Percent(acc)} | {(e.ChancePerCategory.TryGetValue(category, out var c) ? Percent(c) : "")} |");
            s.AppendLine($"| **overall** | **{Percent(e.Overall)}** | |").AppendLine();
            s.AppendLine($"Mean token norm: vision {e.VisionTokenNormMean:G3}, text embeddings {e.TextEmbeddingNormMean:G3} (ratio {e.NormRatio:G3}).").AppendLine();
        }
        else
        {
            s.AppendLine("No 2DS evaluation was recorded with this checkpoint.").AppendLine();
        }

        s.AppendLine("## Validation").AppendLine();
        s.AppendLine($"`{ArtifactNames.TestDataFolder}/GRAPH/test_data_set_0/` holds each graph's `input_N.pb` / `output_N.pb` TensorProtos in the graph's own input and output order (ONNX model zoo layout; `manifest.json` also maps each to its tensor): " +
            $"{batch.Count} 2DS-test questions and the outputs {m.Producer.Reference} computes for them. An output passes unless an element exceeds both atol {m.TestData.Atol:G} and rtol {m.TestData.Rtol:G} (Polygraphy's rule).").AppendLine();
        if (parity.Count > 0)
        {
            s.AppendLine("ONNX Runtime (CPU) against TorchSharp at export:").AppendLine();
            s.AppendLine("| output | max abs diff | max rel diff | result |").AppendLine("|---|---:|---:|---|");
            foreach (var r in parity) s.AppendLine($"| `{r.Name}` | {r.MaxAbs:G3} | {r.MaxRel:G3} | {(r.Passed ? "pass" : "FAIL")} |");
            s.AppendLine();
        }

        s.AppendLine("## Limits").AppendLine();
        s.AppendLine("- Trained and evaluated only on synthetic 2DS scenes (coloured shapes on white); it knows nothing else.");
        s.AppendLine("- A laptop-scale model: the paper's numbers (LLaVA-1.5-7B) are not comparable in absolute terms.");
        s.AppendLine("- The graphs assume exactly one image placeholder per row and right padding; they cannot check this (ONNX has no assertions), so a runtime must.");
        s.AppendLine($"- Sequences longer than {m.Prompt.MaxSequenceLength} tokens (text + image) were never seen in training.");
        return s.ToString();
    }

    static string Variant(ArtifactManifest m) => m.Variant switch
    {
        "baseline" => "**baseline**: LLaVA as is — the encoder's penultimate layer through the projector; vision-token norms are left as they come.",
        "norm" => "**+Normalize**: the projector's output is RMS-normalised, its L2 norm clipped and rescaled to text-embedding scale.",
        "norm-multilayer" => "**+Normalize +Multilayer**: four encoder layers (mid to last) feed the projector, then the norm adapter.",
        var other => $"variant {other}",
    };

    static string Percent(double x) => $"{(x * 100).ToString("F1", CultureInfo.InvariantCulture)}%";

    static string Num(double? x) => x?.ToString("G4", CultureInfo.InvariantCulture) ?? "—";
}
