using System.Security.Cryptography;
using System.Text;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

/// <summary>
/// The one-time code that recovery-mode onboarding demands: only someone who can read the
/// root-only file beside the store (console or SSH), or run <c>sudo pihub-cli onboarding code</c>, can claim the hub.
/// It is never logged: the journal is readable without root (groups adm, systemd-journal).
/// </summary>
internal static class RecoveryCode
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Four groups of five base32 characters, e.g. <c>K7QXM-2PLDA-...</c> (100 random bits).</summary>
    public static string Create()
    {
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, 20);
        return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 5, 5)));
    }

    /// <summary>Lowercase hex SHA-256 of the code exactly as shown (upper case, with dashes).</summary>
    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    /// <summary>Writes the code to a file only its owner (root on the Pi) can read.</summary>
    public static void WriteFile(string path, string code) =>
        FileSync.WriteAllBytesDurably(path,
            Encoding.UTF8.GetBytes($"{code}\nEnter this code to create the new owner of this PiHub. It works once.\n"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
}
