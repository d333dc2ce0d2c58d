using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Pipeline.Tests.Build;

namespace Pipeline.Tests.Train;

/// <summary>
/// TorchSharp frees a Scalar in its finalizer and keeps nothing alive while libtorch reads it, so a
/// temporary Scalar (x + 1e-6, or the alpha = 1 that Tensor.add passes) can be freed by a garbage
/// collection on another thread in the middle of the native call. The code that drives libtorch
/// must hold every scalar it passes until the call returns (HeldScalars does).
/// </summary>
[NonParallelizable]
public sealed class ScalarLifetimeTests
{
    static readonly string[] TorchProjects = ["train", "export", "study", "cli"];

    [TestCaseSource(nameof(TorchProjects))]
    public void NoScalarLivesOnlyForTheCallThatReadsIt(string project)
    {
        var sites = TemporaryScalarScan.Scan(project);
        Assert.That(sites, Is.Empty, $"temporary scalars in {project}/ (use HeldScalars' forms):\n" + string.Join("\n", sites));
    }

    [Test]
    public void TheScanCoversEveryProjectThatUsesTorchSharp()
    {
        // A project uses TorchSharp when it asks for the package or references train/, which does.
        var users = Directory.EnumerateFiles(MSBuildRunner.RepoRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(f => Path.GetDirectoryName(Path.GetDirectoryName(f)) == MSBuildRunner.RepoRoot && !f.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("<PipelineUsesTorchSharp>true") || text.Contains("../train/Pipeline.Train.csproj")))
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f))!);
        Assert.That(TorchProjects, Is.EquivalentTo(users));
    }

    [Test]
    public void TheScanFindsEachKindOfTemporary()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            static class Sample
            {
                static Tensor Eps(Tensor x) => x + 1e-6;
                static Tensor Residual(Tensor x, Tensor y) => x + y;
                static Tensor Fill(Tensor x, Tensor m) => x.masked_fill(m, -1.0);
                static Tensor Held(Tensor x, Tensor y) { using var one = 1.ToScalar(); return x.add(y, one); }
                static void Step(TorchSharp.Modules.AdamW adam) => adam.step();
                static Tensor Square(Tensor x) => x.square();
                static Tensor Range(Scalar n) => arange(n);
            }
            """;
        var sites = TemporaryScalarScan.ScanSource(source, "Sample.cs");
        Assert.That(sites.Select(s => s.Split(':')[1]), Is.EqualTo(new[] { "5", "6", "7", "9", "10", "11" }), string.Join("\n", sites));
    }
}

/// <summary>Binds a project's sources with Roslyn and lists where a TorchSharp call gets a scalar nobody holds.</summary>
static class TemporaryScalarScan
{
    /// <summary>Tensor methods whose short overloads pass a literal 1 (alpha or value) that TorchSharp makes into a temporary.</summary>
    static readonly HashSet<string> ImplicitOneMethods = ["add", "add_", "addcdiv", "addcdiv_"];

    public static List<string> Scan(string project)
    {
        string dir = Path.Combine(MSBuildRunner.RepoRoot, project);
        var trees = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), Options, Path.GetRelativePath(MSBuildRunner.RepoRoot, f)))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, Options, "ImplicitUsings.cs"));
        string own = $"Pipeline.{char.ToUpperInvariant(project[0])}{project[1..]}.dll";
        return Find(Compile(trees, exclude: own));
    }

    public static List<string> ScanSource(string source, string name) =>
        Find(Compile([CSharpSyntaxTree.ParseText(source, Options, name)], exclude: null));

    static readonly CSharpParseOptions Options = new(LanguageVersion.Preview);

    const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Pipeline.Core;
        """;

    static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, string? exclude)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location != "").Select(a => a.Location))
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => exclude is null || Path.GetFileName(p) != exclude)
            .DistinctBy(Path.GetFileName)
            .Where(IsManagedAssembly)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Scan", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("the scan could not bind the sources:\n" + string.Join("\n", errors));
        return compilation;
    }

    static bool IsManagedAssembly(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }

    static List<string> Find(CSharpCompilation compilation)
    {
        var sites = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                string? why = node switch
                {
                    // The name part of a member access converts with its whole expression: report that once.
                    SimpleNameSyntax n when n.Parent is MemberAccessExpressionSyntax m && m.Name == n => null,
                    ExpressionSyntax e when IsImplicitScalar(model, e) => "converted to a temporary Scalar",
                    InvocationExpressionSyntax or BinaryExpressionSyntax or AssignmentExpressionSyntax => HiddenTemporary(model.GetOperation(node)),
                    _ => null,
                };
                if (why is null) continue;
                var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                sites.Add($"{tree.FilePath}:{line}: {why}: {node.ToString().ReplaceLineEndings(" ")[..Math.Min(80, node.ToString().Length)]}");
            }
        }
        return sites.Distinct().ToList();
    }

    static bool IsImplicitScalar(SemanticModel model, ExpressionSyntax e)
    {
        var conversion = model.GetConversion(e);
        return conversion.IsUserDefined && conversion.IsImplicit && conversion.MethodSymbol?.ReturnType is { Name: "Scalar" } t && IsTorch(t);
    }

    /// <summary>A TorchSharp member that makes a Scalar inside: an operator with a number operand, + or - on two tensors, add without its alpha.</summary>
    static string? HiddenTemporary(IOperation? op)
    {
        IMethodSymbol? method = op switch
        {
            IBinaryOperation b => b.OperatorMethod,
            ICompoundAssignmentOperation c => c.OperatorMethod,
            IInvocationOperation i => i.TargetMethod,
            _ => null,
        };
        if (method is null || !IsTorch(method.ContainingType)) return null;
        if (method.Name == "step" && DerivesFrom(method.ContainingType, "Optimizer"))
            return "TorchSharp's optimizers pass temporary scalars in step (use Pipeline.Train.Training.AdamW)";
        if (method.MethodKind == MethodKind.UserDefinedOperator)
        {
            if (method.Parameters.Any(p => p.Type.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_Double))
                return $"{method.Name} with a number makes a temporary Scalar";
            // Every + ends in Tensor.add(other, 1); scalar - tensor in negative().add(scalar, 1).
            if (method.Name == "op_Addition" || method.Name == "op_Subtraction" && method.Parameters[0].Type.Name == "Scalar")
                return $"{method.Name} passes a temporary alpha";
            return null;
        }
        if (ImplicitOneMethods.Contains(method.Name) && method.ContainingType.Name == "Tensor" && !method.Parameters.Any(p => p.Name is "alpha" or "value"))
            return $"{method.Name} without alpha passes a temporary 1";
        if (method.Name == "square" && method.ContainingType.Name == "Tensor")
            return "square passes a temporary 2 to pow";
        if (method.Name == "arange" && method.Parameters.Count(p => p.Type.Name == "Scalar") < 3)
            return "arange without start and step passes temporary ones";
        return null;
    }

    static bool DerivesFrom(ITypeSymbol? type, string name) =>
        type is not null && (type.Name == name || DerivesFrom(type.BaseType, name));

    static bool IsTorch(ITypeSymbol type) => type.ContainingNamespace?.ToDisplayString().StartsWith("TorchSharp") == true;
}
