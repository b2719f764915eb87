using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;
using PiHub.Server.Auth;

namespace PiHub.Server.WebSockets;

/// <summary>What every connection needs from the application, resolved once.</summary>
internal sealed record WsContext(HubCore Hub, PiHub.Core.Auth.AuthManager Auth, IApiAuthenticator Authenticator, WsRegistry Registry, IServiceProvider Services, ILogger Logger);
