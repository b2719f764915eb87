using PiHub.Core.Auth.Model;

namespace PiHub.Storage.Auth;

/// <summary>What could be read out of a damaged file: documents whose checksum held, and its meta if readable.</summary>
internal sealed record SalvageResult(IReadOnlyList<AuthRecord> Records, StoreMeta? Meta, string? Error)
{
    public static readonly SalvageResult Nothing = new([], null, null);
}
