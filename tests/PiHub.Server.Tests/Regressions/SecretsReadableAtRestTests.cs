using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 7: <c>auth.db</c> and its snapshots were created 0644 in a 0755 folder, so any account on the Pi (or
/// anyone with a copy) could read the JWT signing key and mint an owner token. The hub itself now creates the data
/// folder 0700 and every file in it 0600, and tightens an existing folder at start-up.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SecretsReadableAtRestTests
{
    private const UnixFileMode GroupAndOthers = (UnixFileMode)0x3F;

    [Test]
    public async Task FreshHub_DataFolderAndEveryFileOwnerOnly()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"pihub-perm-{Guid.NewGuid():N}", "data");
        try
        {
            await using (var hub = await TestHub.StartAsync(dataDir: dataDir))
            {
                await hub.OnboardAsync();
            }

            Assert.That(File.GetUnixFileMode(dataDir) & GroupAndOthers, Is.EqualTo((UnixFileMode)0), "data folder");
            Assert.That(Entries(dataDir), Is.Not.Empty);
            Assert.That(Entries(dataDir).Where(e => (File.GetUnixFileMode(e) & GroupAndOthers) != 0), Is.Empty);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dataDir)!, recursive: true);
        }
    }

    [Test]
    public async Task ExistingFolderReadableByOthers_TightenedAtStartUp()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"pihub-perm-{Guid.NewGuid():N}");
        try
        {
            await using (var hub = await TestHub.StartAsync(dataDir: dataDir))
            {
                await hub.OnboardAsync();
            }

            // As an old install or a `cp -r` of a backup would leave it.
            File.SetUnixFileMode(dataDir, (UnixFileMode)0x1ED); // 0755
            foreach (var entry in Entries(dataDir))
            {
                File.SetUnixFileMode(entry, Directory.Exists(entry) ? (UnixFileMode)0x1ED : (UnixFileMode)0x1A4); // 0644
            }

            await using (await TestHub.StartAsync(dataDir: dataDir))
            {
                Assert.That(File.GetUnixFileMode(dataDir) & GroupAndOthers, Is.EqualTo((UnixFileMode)0));
                Assert.That(Entries(dataDir).Where(e => (File.GetUnixFileMode(e) & GroupAndOthers) != 0), Is.Empty);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static List<string> Entries(string dir) =>
        [.. Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })];
}
