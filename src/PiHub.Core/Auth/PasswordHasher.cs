using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PiHub.Core.Auth;

/// <summary>
/// Hashes and verifies passwords with PBKDF2-HMAC-SHA256. The stored text is self-describing,
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>, so the cost can rise
/// later without breaking existing hashes (see <see cref="NeedsRehash"/>).
/// </summary>
public sealed class PasswordHasher
{
    /// <summary>The production cost: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The algorithm tag at the start of every hash this class writes.</summary>
    public const string Scheme = "pbkdf2-sha256";

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // A stored hash claiming more than this is treated as malformed rather than run (minutes of CPU).
    private const int MaxIterations = 50_000_000;

    /// <summary>Creates a hasher with the production cost of <see cref="DefaultIterations"/>.</summary>
    public PasswordHasher()
        : this(DefaultIterations)
    {
    }

    /// <summary>
    /// Creates a hasher with a chosen cost. Anything below <see cref="DefaultIterations"/> is for
    /// tests whose subject is not the hash cost.
    /// </summary>
    public PasswordHasher(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        Iterations = iterations;
    }

    /// <summary>The cost new hashes are written with.</summary>
    public int Iterations { get; }

    /// <summary>Hashes a password with a fresh random salt.</summary>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, Iterations, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// True when <paramref name="password"/> matches <paramref name="storedHash"/>. A malformed hash
    /// never matches (and still costs a full hash, so its shape cannot be probed by timing).
    /// </summary>
    public bool Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(storedHash, out var iterations, out var salt, out var expected))
        {
            VerifyDummy(password);
            return false;
        }

        var actual = Derive(password, salt, iterations, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>
    /// Spends the same time as <see cref="Verify"/> without a stored hash: used for unknown
    /// usernames so a login's timing does not reveal whether the user exists.
    /// </summary>
    public void VerifyDummy(string password)
    {
        Span<byte> salt = stackalloc byte[SaltBytes];
        RandomNumberGenerator.Fill(salt);
        Derive(password ?? "", salt, Iterations, HashBytes);
    }

    /// <summary>True when the hash was written with a lower cost (or another scheme) than this hasher uses.</summary>
    public bool NeedsRehash(string storedHash) =>
        !TryParse(storedHash, out var iterations, out _, out _) || iterations < Iterations;

    /// <summary>PBKDF2 rounds run by this process so far; tests compare work, not wall time.</summary>
    internal static long RoundsRun => Interlocked.Read(ref s_roundsRun);

    private static long s_roundsRun;

    private static byte[] Derive(string password, ReadOnlySpan<byte> salt, int iterations, int length)
    {
        Interlocked.Add(ref s_roundsRun, iterations);
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, HashAlgorithmName.SHA256, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static bool TryParse(string? text, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        if (string.IsNullOrEmpty(text)) return false;
        var parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < 1 || iterations > MaxIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 16;
    }
}
