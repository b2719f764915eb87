using System.Diagnostics;
using System.Globalization;
using System.Text;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

/// <summary>
/// The store's exclusive lock file, held for its whole lifetime. On Linux .NET takes
/// <c>flock(LOCK_EX|LOCK_NB)</c> for <see cref="FileShare.None"/>, which a second process (or
/// a second open in this one) cannot get; LiteDB's own "direct" mode only takes a shared
/// lock. The holder's PID is written into a sidecar file, because nobody else can open the
/// locked file to read it.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _file;
    private readonly string _ownerPath;

    private StoreLock(FileStream file, string ownerPath)
    {
        _file = file;
        _ownerPath = ownerPath;
    }

    /// <summary>Takes the lock or throws <see cref="AuthStoreException"/> (<see cref="AuthStoreError.Locked"/>) naming the holder.</summary>
    public static StoreLock Acquire(string path)
    {
        var ownerPath = path + ".owner";
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new AuthStoreException(AuthStoreError.Locked,
                $"The auth store {path} is in use: it is held by {DescribeHolder(ownerPath)}. " +
                "If that is the PiHub service, administer it with pihub-cli while it runs (e.g. `pihub-cli status`), which talks to it over " +
                "its admin socket; otherwise wait for that process to finish, or stop it (`systemctl stop pihub` for the service).", ex);
        }

        var me = Process.GetCurrentProcess();
        var text = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {me.ProcessName}\n");
        file.SetLength(0);
        file.Write(Encoding.UTF8.GetBytes(text));
        file.Flush();
        FileSync.WriteAllBytesDurably(ownerPath, Encoding.UTF8.GetBytes(text));
        return new StoreLock(file, ownerPath);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_ownerPath);
        }
        catch (IOException)
        {
            // A stale owner file only makes a later "locked" message name a gone process.
        }

        _file.Dispose();
    }

    private static string DescribeHolder(string ownerPath)
    {
        try
        {
            var parts = File.ReadAllText(ownerPath).Trim().Split(' ', 2);
            var pid = int.Parse(parts[0], CultureInfo.InvariantCulture);
            string name;
            try
            {
                using var p = Process.GetProcessById(pid);
                name = p.ProcessName;
            }
            catch (ArgumentException)
            {
                name = parts.Length > 1 ? parts[1] + ", no longer running" : "no longer running";
            }

            return $"process {pid} ({name})";
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return "another process (its PID could not be read)";
        }
    }
}
