using PiHub.Core.Auth;
using PiHub.Core.Hub;

namespace PiHub.Server.Http;

/// <summary>
/// The stable error codes of the REST and WebSocket APIs. The same failure carries the same code on both:
/// REST in <c>{"message", "code"}</c>, WebSocket in a result's <c>error.code</c>. Where Home Assistant's
/// WebSocket API has a code it is used; auth failures without one keep their <see cref="AuthErrorCodes"/> code.
/// </summary>
internal static class ApiErrorCodes
{
    /// <summary>The request or message is malformed, or a field is missing or of the wrong type.</summary>
    public const string InvalidFormat = "invalid_format";

    /// <summary>The entity, service, user, token, route… does not exist.</summary>
    public const string NotFound = "not_found";

    /// <summary>No valid credentials, or the user lacks the right (admin, not read-only).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>A browser request from a page on another site (its <c>Origin</c>), refused before anything ran or counted.</summary>
    public const string CrossOrigin = "cross_origin";

    /// <summary>A browser login or change under a host name the hub does not answer to (DNS rebinding defence).</summary>
    public const string HostNotAllowed = "host_not_allowed";

    /// <summary>The body is not of the content type the endpoint takes.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>WebSocket: no command of that type.</summary>
    public const string UnknownCommand = "unknown_command";

    /// <summary>WebSocket: a message id that is not larger than the previous one.</summary>
    public const string IdReuse = "id_reuse";

    /// <summary>A service or event handler refused the call.</summary>
    public const string HomeAssistantError = "home_assistant_error";

    /// <summary>A service call's data did not validate.</summary>
    public const string ServiceValidationError = "service_validation_error";

    /// <summary>WebSocket <c>render_template</c>: Home Assistant's code for a template it cannot render (PiHub renders none).</summary>
    public const string TemplateError = "template_error";

    /// <summary>REST <c>POST /api/template</c>: PiHub has no template engine.</summary>
    public const string TemplatesNotSupported = "templates_not_supported";

    /// <summary>The hub failed; the journal has the details.</summary>
    public const string UnknownError = "unknown_error";

    /// <summary>REST: the route exists, but not for this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>REST: the body is larger than the hub accepts.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>REST: the request body did not arrive in time (auth endpoints: 5 seconds).</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>REST: too many requests at once (password checks, unknown webhooks); retry after <c>Retry-After</c>.</summary>
    public const string TooManyRequests = "too_many_requests";

    /// <summary>WebSocket upgrade (429): the address, or the hub, holds the most WebSockets allowed; close some or retry later.</summary>
    public const string TooManyConnections = "too_many_connections";

    /// <summary>WebSocket: the connection or its user holds the most subscriptions allowed; unsubscribe some first.</summary>
    public const string TooManySubscriptions = "too_many_subscriptions";

    /// <summary>REST: the client address is banned after failed logins.</summary>
    public const string Banned = "banned";

    /// <summary>REST: <c>X-Forwarded-For</c> came from a peer that is not in <c>http.trusted_proxies</c>.</summary>
    public const string UntrustedProxy = "untrusted_proxy";

    /// <summary>WebSocket history and logbook: <c>start_time</c> is missing, not ISO 8601, or (for a stream) in the future.</summary>
    public const string InvalidStartTime = "invalid_start_time";

    /// <summary>WebSocket history and logbook: <c>end_time</c> is not ISO 8601, or (for a stream) before <c>start_time</c>.</summary>
    public const string InvalidEndTime = "invalid_end_time";

    /// <summary>
    /// A change refused while power is failing (the write gate is closed): 503 on REST. The hub
    /// takes changes again a few seconds after power is back.
    /// </summary>
    public const string PowerFailing = Core.Power.WriteGate.Code;

    /// <summary>The API code of a <see cref="HubException"/>.</summary>
    public static string FromHub(string hubCode) => hubCode switch
    {
        HubErrorCodes.NotFound or HubErrorCodes.ServiceNotFound => NotFound,
        HubErrorCodes.InvalidFormat or HubErrorCodes.InvalidEntityId or HubErrorCodes.InvalidState => InvalidFormat,
        HubErrorCodes.ServiceValidationError => ServiceValidationError,
        HubErrorCodes.Unauthorized => Unauthorized,
        PowerFailing => PowerFailing,
        _ => HomeAssistantError,
    };

    /// <summary>The API code of an <see cref="AuthException"/> raised by a WebSocket command.</summary>
    public static string FromAuth(string authCode) => authCode switch
    {
        AuthErrorCodes.NotFound => NotFound,
        // owner_protected and owner_only pass through: they name the owner rule that refused, as pihub-cli reports it.
        AuthErrorCodes.Unauthorized or AuthErrorCodes.AccessDenied => Unauthorized,
        AuthErrorCodes.InvalidFormat => InvalidFormat,
        _ => authCode,
    };
}
