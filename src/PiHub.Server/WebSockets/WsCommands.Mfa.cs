using System.Text.Json;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Mfa;
using PiHub.Server.Auth;

namespace PiHub.Server.WebSockets;

/// <summary>
/// TOTP with Home Assistant's command names (<c>auth/setup_mfa</c>, <c>auth/depose_mfa</c>) plus
/// <c>pihub/mfa/recovery_codes</c> and the admin's <c>pihub/mfa/reset</c>. The set-up is HA's data-entry
/// flow: a form with the secret, URI and QR code, then <c>create_entry</c> with the recovery codes.
/// </summary>
internal static partial class WsCommands
{
    private const string TotpModuleId = "totp";
    private const string TotpModuleName = "Authenticator app";

    private static void AddMfaCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["auth/setup_mfa"] = (WsAccess.Read, SetupMfaAsync);
        table["auth/depose_mfa"] = (WsAccess.Read, DeposeMfaAsync);
        table["pihub/mfa/recovery_codes"] = (WsAccess.Read, RegenerateRecoveryCodesAsync);
        table["pihub/mfa/reset"] = (WsAccess.Admin, ResetMfaAsync);
    }

    private static ValueTask SetupMfaAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var userId = c.Principal!.User.Id;
        var flowId = OptionalString(message, "flow_id");
        if (flowId is null)
        {
            RequireTotpModule(message);
            return GuardAsync(c, id, async () =>
            {
                var setup = await Auth(c).Totp.BeginSetupAsync(userId, cancellationToken).ConfigureAwait(false);
                c.Post(SetupForm(id, setup, error: null));
            });
        }

        var code = UserInputCode(message);
        return GuardAsync(c, id, async () =>
        {
            var auth = Auth(c);
            try
            {
                var codes = await auth.Totp.ConfirmSetupAsync(userId, code, flowId, cancellationToken).ConfigureAwait(false);
                c.Post(SetupDone(id, flowId, codes));
            }
            catch (AuthException ex) when (ex.Code == AuthErrorCodes.InvalidCode && auth.Totp.TryGetSetup(userId, out var setup))
            {
                c.Post(SetupForm(id, setup, AuthErrorCodes.InvalidCode));
            }
            catch (AuthException ex) when (ex.Code == AuthErrorCodes.TooManyRetry)
            {
                c.Post(SetupAbort(id, flowId, ex.Message));
            }
        });
    }

    private static ValueTask DeposeMfaAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        RequireTotpModule(message);
        var password = RequireString(message, "password");
        var code = RequireString(message, "code");
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).Totp.DisableAsync(c.Principal!.User.Id, password, code, cancellationToken).ConfigureAwait(false);
            c.Post(WsMessages.Result(id, w => w.WriteStringValue("done")));
        });
    }

    private static ValueTask RegenerateRecoveryCodesAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var password = RequireString(message, "password");
        var code = RequireString(message, "code");
        return GuardAsync(c, id, async () =>
        {
            var codes = await Auth(c).Totp.RegenerateRecoveryCodesAsync(c.Principal!.User.Id, password, code, cancellationToken)
                .ConfigureAwait(false);
            c.Post(WsMessages.Result(id, w =>
            {
                w.WriteStartObject();
                WriteRecoveryCodes(w, codes);
                w.WriteEndObject();
            }));
        });
    }

    private static ValueTask ResetMfaAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var userId = RequireString(message, "user_id");
        return GuardAsync(c, id, async () =>
        {
            var removed = await Auth(c).ResetMfaAsync(c.Principal!.User.Id, userId, cancellationToken).ConfigureAwait(false);
            c.Post(WsMessages.Result(id, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("removed", removed);
                w.WriteEndObject();
            }));
        });
    }

    private static void RequireTotpModule(JsonElement message)
    {
        var module = RequireString(message, "mfa_module_id");
        if (module != TotpModuleId)
        {
            throw new PiHub.Core.Hub.HubException(PiHub.Core.Hub.HubErrorCodes.NotFound,
                $"No MFA module \"{module}\": this hub offers \"{TotpModuleId}\" (an authenticator app).");
        }
    }

    private static string UserInputCode(JsonElement message) =>
        message.TryGetProperty("user_input", out var input) && input.ValueKind == JsonValueKind.Object
            ? RequireString(input, "code")
            : throw Format("Field \"user_input\" is required when \"flow_id\" is given, e.g. {\"code\":\"123456\"}.");

    private static byte[] SetupForm(int id, TotpSetup setup, string? error) => WsMessages.Result(id, w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "form");
        w.WriteString("flow_id", setup.FlowId);
        w.WriteString("handler", TotpModuleId);
        w.WriteString("step_id", "init");
        w.WriteStartArray("data_schema");
        w.WriteStartObject();
        w.WriteString("name", "code");
        w.WriteString("type", "string");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("description_placeholders");
        w.WriteString("code", setup.Secret);
        w.WriteString("url", setup.Uri);
        w.WriteString("qr_code", TotpQrCode.Svg(setup.Uri));
        w.WriteEndObject();
        w.WriteStartObject("errors");
        if (error is not null) w.WriteString("base", error);
        w.WriteEndObject();
        w.WriteNull("last_step");
        w.WriteEndObject();
    });

    private static byte[] SetupDone(int id, string flowId, IReadOnlyList<string> codes) => WsMessages.Result(id, w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "create_entry");
        w.WriteString("flow_id", flowId);
        w.WriteString("handler", TotpModuleId);
        w.WriteString("title", TotpModuleName);
        w.WriteNull("description");
        w.WriteStartObject("data");
        WriteRecoveryCodes(w, codes);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static byte[] SetupAbort(int id, string flowId, string text) => WsMessages.Result(id, w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "abort");
        w.WriteString("flow_id", flowId);
        w.WriteString("handler", TotpModuleId);
        w.WriteString("reason", AuthErrorCodes.TooManyRetry);
        w.WriteNull("description_placeholders");
        w.WriteString("message", text);
        w.WriteEndObject();
    });

    private static void WriteRecoveryCodes(Utf8JsonWriter w, IReadOnlyList<string> codes)
    {
        w.WriteStartArray("recovery_codes");
        foreach (var code in codes) w.WriteStringValue(code);
        w.WriteEndArray();
    }
}
