using System.Globalization;

namespace PiHub.Storage.Auth;

/// <summary>The names of every file the auth store keeps beside its data file.</summary>
internal sealed class StoreFiles
{
    public StoreFiles(string directory, string fileName)
    {
        Directory = Path.GetFullPath(directory);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var ext = Path.GetExtension(fileName);
        Data = Path.Combine(Directory, fileName);
        // LiteDB's own naming, so its rebuild on a copy finds the log where it expects it.
        Log = Path.Combine(Directory, stem + "-log" + ext);
        Lock = Data + ".lock";
        Snapshots = Path.Combine(Directory, "snapshots");
        RecoveryCode = Path.Combine(Directory, "recovery-code.txt");
        Leftovers =
        [
            Path.Combine(Directory, stem + "-backup" + ext),
            Path.Combine(Directory, stem + "-log-backup" + ext),
            Path.Combine(Directory, stem + "-temp" + ext),
            Path.Combine(Directory, stem + "-temp-log" + ext),
            Data + ".tmp",
            Data + ".tmp-log",
        ];
    }

    public string Directory { get; }

    public string Data { get; }

    public string Log { get; }

    public string Lock { get; }

    public string Snapshots { get; }

    public string RecoveryCode { get; }

    /// <summary>Files an interrupted LiteDB rebuild or an interrupted restore of ours leaves behind.</summary>
    public IReadOnlyList<string> Leftovers { get; }

    /// <summary>The report of the last start-up recovery, kept for the owner's notification.</summary>
    public string RecoveryReport => Path.Combine(Directory, "last-recovery.txt");

    /// <summary>A name for a damaged file that never overwrites an earlier one and has no ':' in it.</summary>
    public static string AsideName(string path, DateTimeOffset now)
    {
        var baseName = path + ".corrupt-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var name = baseName;
        for (var i = 1; File.Exists(name); i++) name = baseName + "-" + i.ToString(CultureInfo.InvariantCulture);
        return name;
    }
}
