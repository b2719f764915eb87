using System.Security.Cryptography;
using OtpNet;
using PiHub.Core.Auth.Tokens;

namespace PiHub.Core.Auth.Mfa;

/// <summary>
/// One-time recovery codes: 10 base32 characters (50 random bits) shown as <c>ABCDE-FGHIJ</c>. They are
/// stored as SHA-256 hashes: with that much entropy a slow hash adds nothing, and a fast one keeps the
/// login's MFA step cheap. Matching compares every stored hash in fixed time.
/// </summary>
internal static class RecoveryCodes
{
    /// <summary>How many codes a user gets at enrolment and at each regeneration.</summary>
    public const int Count = 10;

    private const int Characters = 10;

    /// <summary>New codes in display form, and their hashes in the same order.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<string> Hashes) Generate()
    {
        var codes = new List<string>(Count);
        var hashes = new List<string>(Count);
        while (codes.Count < Count)
        {
            // 50 bits from 7 bytes: base32 of 7 bytes is 12 characters, the first 10 carry 50 random bits.
            var text = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(7))[..Characters];
            var hash = Hash(text);
            if (hashes.Contains(hash)) continue;
            codes.Add($"{text[..5]}-{text[5..]}");
            hashes.Add(hash);
        }

        return (codes, hashes);
    }

    /// <summary>The stored form of a code as typed (case, spaces and dashes ignored).</summary>
    public static string Hash(string code) => Secrets.Sha256Hex(Normalize(code));

    /// <summary>True when the text has the shape of a recovery code (10 base32 characters once cleaned).</summary>
    public static bool LooksLikeOne(string? code)
    {
        var normalized = Normalize(code);
        return normalized.Length == Characters && normalized.All(c => c is >= 'A' and <= 'Z' or >= '2' and <= '7');
    }

    /// <summary>The index of the stored hash matching <paramref name="code"/>, or -1. Compares against all of them.</summary>
    public static int IndexOf(IReadOnlyList<string> hashes, string? code)
    {
        var hash = Hash(code ?? "");
        var index = -1;
        for (var i = 0; i < hashes.Count; i++)
        {
            if (Secrets.FixedTimeEquals(hashes[i], hash) && index < 0) index = i;
        }

        return index;
    }

    private static string Normalize(string? code) => TotpCodes.Clean(code).ToUpperInvariant();
}
