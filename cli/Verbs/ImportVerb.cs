using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Verbs;

[Verb("import", HelpText = "Turn a model trained in PyTorch (state dict or safetensors, this architecture's names) into a checkpoint that export, validate and eval take.")]
public sealed class ImportOptionsCli
{
    [Option("weights", Required = true, HelpText = "torch.save(model.state_dict()) file (.pt, .pth, .bin) or a .safetensors file.")]
    public string Weights { get; set; } = "";

    [Option("config", Required = true, HelpText = "The model's config.json in this pipeline's schema (as a checkpoint holds it).")]
    public string Config { get; set; } = "";

    [Option("vocab", Required = true, HelpText = "The tokenizer's vocab.json the model was trained with.")]
    public string Vocab { get; set; } = "";

    [Option("out", Required = true, HelpText = "Checkpoint folder to write (created atomically).")]
    public string Out { get; set; } = "";

    [Option("force", Default = false, HelpText = "Replace an existing, non-empty output folder.")]
    public bool Force { get; set; }
}

public static class ImportVerb
{
    public static int Run(ImportOptionsCli args, Terminal terminal)
    {
        var result = CheckpointImport.Import(new ImportOptions(args.Weights, args.Config, args.Vocab, args.Out, args.Force));
        terminal.Info($"imported {result.Tensors} tensors ({result.Config.Variant.ToCliName()}, sha256 {result.Sha256[..12]}…) into {result.Directory}");
        terminal.Info($"next: pipeline export --checkpoint {result.Directory} --out ARTIFACT");
        return 0;
    }
}
