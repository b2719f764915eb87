using System.Text.Json.Serialization;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>A step of the TOTP set-up flow that asks for a code (Home Assistant's data-entry form).</summary>
internal sealed record MfaSetupForm(
    string FlowId,
    string Handler,
    string StepId,
    IReadOnlyList<SchemaField> DataSchema,
    TotpPlaceholders DescriptionPlaceholders,
    Dictionary<string, string> Errors,
    bool? LastStep)
{
    public string Type => "form";
}

/// <summary>One field of a form's schema.</summary>
internal sealed record SchemaField(string Name, string Type);

/// <summary>What the set-up form shows: the secret to type in, the <c>otpauth://</c> URI and its QR code (SVG).</summary>
internal sealed record TotpPlaceholders(string Code, string Url, string QrCode);

/// <summary>The end of a successful set-up: TOTP is on, with these recovery codes.</summary>
internal sealed record MfaSetupDone(string FlowId, string Handler, string Title, string? Description, RecoveryCodes Data)
{
    public string Type => "create_entry";
}

/// <summary>The set-up gave up (too many wrong codes); start again.</summary>
internal sealed record MfaSetupAbort(
    string FlowId,
    string Handler,
    string Reason,
    Dictionary<string, string>? DescriptionPlaceholders,
    string Message)
{
    public string Type => "abort";
}

/// <summary><c>{"recovery_codes": [...]}</c>, each usable once instead of a TOTP code.</summary>
internal sealed record RecoveryCodes([property: JsonPropertyName("recovery_codes")] IReadOnlyList<string> Codes);

/// <summary><c>pihub/mfa/reset</c>: whether the user had MFA to remove.</summary>
internal sealed record MfaResetResult(bool Removed);

/// <summary>Source-generated JSON for <see cref="MfaCommands"/> results (snake_case, as Home Assistant).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MfaSetupForm))]
[JsonSerializable(typeof(MfaSetupDone))]
[JsonSerializable(typeof(MfaSetupAbort))]
[JsonSerializable(typeof(RecoveryCodes))]
[JsonSerializable(typeof(MfaResetResult))]
[JsonSerializable(typeof(string))]
internal sealed partial class MfaResultsJsonContext : JsonSerializerContext
{
}
