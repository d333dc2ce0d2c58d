using System.Text.Json;

// A deployment ships the model artifact in model/ next to the application. A real one references
// Pipeline.Runtime (ONNX Runtime only, no TorchSharp) and opens its sessions from the manifest;
// this sample only reads the manifest, so that the test building it stays light. The build has
// already validated the artifact (the Pipeline.Validation package).
string model = Path.Combine(AppContext.BaseDirectory, "model");
string manifestPath = Path.Combine(model, "manifest.json");
if (!File.Exists(manifestPath))
{
    Console.Error.WriteLine($"error: no model artifact at {model}");
    return 2;
}
using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
Console.WriteLine($"model artifact: {model}");
foreach (var property in manifest.RootElement.EnumerateObject())
    if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        Console.WriteLine($"  {property.Name}: {property.Value}");
return 0;
