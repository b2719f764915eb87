namespace PiHub.Core.Hub;

/// <summary>Stable error codes of the hub core, as Home Assistant's WebSocket API spells them where it has one.</summary>
public static class HubErrorCodes
{
    public const string InvalidEntityId = "invalid_entity_id";
    public const string InvalidState = "invalid_state";
    public const string InvalidFormat = "invalid_format";
    public const string NotFound = "not_found";
    public const string ServiceNotFound = "service_not_found";
    public const string ServiceValidationError = "service_validation_error";
    public const string Unauthorized = "unauthorized";
    public const string HomeAssistantError = "home_assistant_error";
}

/// <summary>A refusal of the hub core: a stable code and a sentence saying what to do.</summary>
public sealed class HubException : Exception
{
    public HubException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public string Code { get; }

    /// <summary>Home Assistant's translation domain for this error, when it has one (clients localise by it).</summary>
    public string? TranslationDomain { get; init; }

    /// <summary>Home Assistant's translation key, e.g. <c>service_does_not_support_response</c>.</summary>
    public string? TranslationKey { get; init; }

    /// <summary>Values for the translation's placeholders.</summary>
    public IReadOnlyDictionary<string, string>? TranslationPlaceholders { get; init; }
}
