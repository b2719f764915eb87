using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace PiHub.Core.Auth.Mfa;

/// <summary>
/// RFC 6238 TOTP as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. Checks accept the
/// step before and after the current one (clock drift) and report which step matched, so the caller
/// can refuse a code whose step was already used.
/// </summary>
internal static class TotpCodes
{
    /// <summary>Seconds per time step.</summary>
    public const int StepSeconds = 30;

    /// <summary>Digits per code.</summary>
    public const int Digits = 6;

    /// <summary>Steps accepted either side of the current one.</summary>
    public const int Window = 1;

    // A fixed secret for the dummy check, so a missing enrolment costs the same work as a real one.
    private static readonly byte[] s_dummySecret = new byte[20];

    /// <summary>A new 160-bit secret in base32 (RFC 4226's recommended length).</summary>
    public static string NewSecret() => Base32Encoding.ToString(RandomNumberGenerator.GetBytes(20));

    /// <summary>The time step of <paramref name="time"/>.</summary>
    public static long StepOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for <paramref name="time"/> (for tests and diagnostics).</summary>
    public static string Compute(string base32Secret, DateTimeOffset time) =>
        new Totp(Base32Encoding.ToBytes(base32Secret), StepSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(time.UtcDateTime);

    /// <summary>
    /// True when <paramref name="code"/> is the code of a step within ±<see cref="Window"/> of <paramref name="now"/>;
    /// <paramref name="matchedStep"/> is that step. Every step of the window is computed and compared in fixed
    /// time whatever the answer, and a malformed secret or code runs the same work on a dummy secret.
    /// </summary>
    public static bool TryMatch(string? base32Secret, string? code, DateTimeOffset now, out long matchedStep)
    {
        matchedStep = 0;
        var secret = TryDecode(base32Secret);
        var wellFormed = secret is not null && IsSixDigits(code);
        var totp = new Totp(secret ?? s_dummySecret, StepSeconds, OtpHashMode.Sha1, Digits);
        var given = Encoding.ASCII.GetBytes(wellFormed ? code! : "000000");
        var found = false;
        var current = StepOf(now);
        for (var step = current - Window; step <= current + Window; step++)
        {
            var expected = Encoding.ASCII.GetBytes(totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * StepSeconds).UtcDateTime));
            if (CryptographicOperations.FixedTimeEquals(expected, given) && !found)
            {
                found = true;
                matchedStep = step;
            }
        }

        return wellFormed && found;
    }

    /// <summary>Six ASCII digits (spaces already removed).</summary>
    public static bool IsSixDigits(string? code) => code is { Length: Digits } && code.All(char.IsAsciiDigit);

    /// <summary>Removes the spaces and dashes people type or paste into codes.</summary>
    public static string Clean(string? code) =>
        code is null ? "" : new string([.. code.Where(c => !char.IsWhiteSpace(c) && c != '-')]);

    private static byte[]? TryDecode(string? base32Secret)
    {
        if (string.IsNullOrEmpty(base32Secret)) return null;
        try
        {
            var bytes = Base32Encoding.ToBytes(base32Secret);
            return bytes.Length == 0 ? null : bytes;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
