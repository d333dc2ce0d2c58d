using Pipeline.Tests.Runtime;

/// <summary>
/// Deletes <see cref="RuntimeArtifacts"/>' folder after the whole run. Outside every namespace, so
/// NUnit runs it once for the assembly: the CLI tests use those artifacts too.
/// </summary>
[SetUpFixture]
public sealed class RuntimeArtifactsCleanup
{
    [OneTimeTearDown]
    public void DeleteArtifacts()
    {
        if (Directory.Exists(RuntimeArtifacts.Root)) Directory.Delete(RuntimeArtifacts.Root, recursive: true);
    }
}
