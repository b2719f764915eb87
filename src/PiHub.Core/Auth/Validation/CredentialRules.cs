using System.Text;

namespace PiHub.Core.Auth.Validation;

/// <summary>Shape rules for usernames and passwords.</summary>
public static class CredentialRules
{
    /// <summary>Shortest password accepted, in UTF-8 bytes.</summary>
    public const int MinPasswordBytes = 8;

    /// <summary>Longest password accepted, in UTF-8 bytes (bounds the hash work per request).</summary>
    public const int MaxPasswordBytes = 1024;

    /// <summary>Longest username accepted, in characters.</summary>
    public const int MaxUsernameLength = 64;

    /// <summary>Trims and case-folds a username (Unicode NFKC, then invariant lower case).</summary>
    public static string NormalizeUsername(string? username)
    {
        if (string.IsNullOrWhiteSpace(username)) return "";
        var trimmed = username.Trim();
        try
        {
            trimmed = trimmed.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Invalid UTF-16 (lone surrogate): leave it; ValidateUsername refuses control/odd characters anyway.
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>Normalises and checks a username for a new credential; throws <see cref="AuthException"/>.</summary>
    public static string ValidateUsername(string? username)
    {
        var normalized = NormalizeUsername(username);
        if (normalized.Length == 0)
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat, "The username is empty; choose a username such as \"alice\".");
        }

        if (normalized.Length > MaxUsernameLength)
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                $"The username is {normalized.Length} characters long; use at most {MaxUsernameLength}.");
        }

        if (normalized.Any(c => char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)))
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                "The username contains spaces or control characters; use letters, digits, dots, dashes or underscores.");
        }

        return normalized;
    }

    /// <summary>Checks a new password's length in UTF-8 bytes; throws <see cref="AuthException"/>.</summary>
    public static void ValidatePassword(string? password)
    {
        var bytes = password is null ? 0 : Encoding.UTF8.GetByteCount(password);
        if (bytes < MinPasswordBytes)
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                $"The password is too short ({bytes} bytes); use at least {MinPasswordBytes} characters.");
        }

        if (bytes > MaxPasswordBytes)
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                $"The password is too long ({bytes} bytes); use at most {MaxPasswordBytes} bytes.");
        }
    }

    /// <summary>Checks a display name; throws <see cref="AuthException"/>.</summary>
    public static string ValidateName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > 100 || trimmed.Any(char.IsControl))
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                "The name must be 1 to 100 printable characters, e.g. \"Alice\".");
        }

        return trimmed;
    }
}
