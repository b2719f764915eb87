using System.Buffers;
using Microsoft.AspNetCore.Http;
using PiHub.Core.Auth;
using PiHub.Server.Auth;

namespace PiHub.Server.Http;

/// <summary>
/// In front of the auth endpoints (<c>/auth/login_flow</c>, <c>/auth/token</c>, <c>/auth/revoke</c>, owner creation):
/// first the whole body is read — at most <see cref="AuthRequestReader.MaxBodyBytes"/>, within <see cref="BodyTimeout"/> —
/// so a client trickling its body in holds a connection, never a password-check slot; then the requests that hash a
/// password (login steps, owner creation) wait for their client's fair turn at the <see cref="PasswordCheckLimiter"/>.
/// No <c>/auth/token</c> grant hashes a password (codes and refresh tokens are looked up by SHA-256), so an app's
/// refresh never waits behind anyone's login.
/// </summary>
internal sealed class AuthRequestGate(RequestDelegate next, PasswordCheckLimiter limiter)
{
    /// <summary>How long an auth request's body may take to arrive (a login is a few hundred bytes).</summary>
    public static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(5);

    private enum Kind
    {
        /// <summary><c>/auth/token</c> and <c>/auth/revoke</c>: OAuth's error shape, no password hashed.</summary>
        OAuth,

        /// <summary>Starting a login flow: no password hashed.</summary>
        FlowStart,

        /// <summary>A login step or the owner's creation: a password is hashed.</summary>
        PasswordCheck,
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || Classify(context.Request.Path) is not { } kind)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        try
        {
            if (await BufferBodyAsync(context).ConfigureAwait(false) is { } error)
            {
                await Refusal(kind, error).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            if (kind != Kind.PasswordCheck)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            using var turn = await limiter.AcquireAsync(ClientAddress.Of(context), context.RequestAborted).ConfigureAwait(false);
            if (turn is null)
            {
                context.Response.Headers.RetryAfter = "1";
                await ApiResults.TooManyRequests(
                        "Too many password checks are waiting, from this address (at most 4) or hub-wide; wait a second and try again.")
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away while its body arrived or while it waited for its turn: nobody to answer.
        }
    }

    /// <summary>
    /// Which gate a path takes. Routing ignores case (<c>/Auth/Login_Flow/…</c> reaches the login step), so every
    /// comparison here must too, or a capitalised path would reach the handler past the limiter and the body gate.
    /// </summary>
    private static Kind? Classify(PathString path)
    {
        const StringComparison anyCase = StringComparison.OrdinalIgnoreCase;
        if (path.Equals("/auth/token", anyCase) || path.Equals("/auth/revoke", anyCase)) return Kind.OAuth;
        if (path.Equals("/auth/login_flow", anyCase)) return Kind.FlowStart;
        if (path.StartsWithSegments("/auth/login_flow", anyCase, out var rest) && rest.HasValue && rest.Value!.Length > 1) return Kind.PasswordCheck;
        if (path.Equals("/api/onboarding/users", anyCase)) return Kind.PasswordCheck;
        return null;
    }

    /// <summary>Reads the body into memory and puts it back as the request's body; the error when it cannot.</summary>
    private static async Task<BodyError?> BufferBodyAsync(HttpContext context)
    {
        var request = context.Request;
        const int max = AuthRequestReader.MaxBodyBytes;
        if (request.ContentLength > max)
        {
            return TooLarge(context, $"The request body is {request.ContentLength} bytes; auth requests may be at most {max} bytes.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(BodyTimeout);
        var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > max) return TooLarge(context, $"The request body is over {max} bytes, the most auth requests may send.");
                body.Write(chunk, 0, read);
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return TimedOut(context);
        }
        catch (BadHttpRequestException ex)
        {
            return ex.StatusCode == StatusCodes.Status408RequestTimeout
                ? TimedOut(context)
                : new BodyError(ex.StatusCode, $"The request body could not be read ({ex.Message}).");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        body.Position = 0;
        request.Body = body;
        context.Response.RegisterForDispose(body);
        return null;
    }

    private static BodyError TooLarge(HttpContext context, string what)
    {
        // The rest of the body is not read: end the connection after the answer rather than drain it.
        context.Response.Headers.Connection = "close";
        return new BodyError(StatusCodes.Status413PayloadTooLarge, what + " Send only the fields the endpoint takes.");
    }

    private static BodyError TimedOut(HttpContext context)
    {
        // The body never arrived whole: the connection cannot carry another request.
        context.Response.Headers.Connection = "close";
        return new BodyError(StatusCodes.Status408RequestTimeout,
            $"The request body did not arrive within {BodyTimeout.TotalSeconds:0} seconds; an auth request is a few hundred " +
            "bytes, so send it in one go (check the network, or the client's upload).");
    }

    private static IResult Refusal(Kind kind, BodyError error) => kind == Kind.OAuth
        ? AuthHttp.OAuth(error.StatusCode, AuthErrorCodes.InvalidRequest, error.Message)
        : AuthHttp.Message(error, error.StatusCode == StatusCodes.Status408RequestTimeout ? ApiErrorCodes.RequestTimeout : AuthErrorCodes.InvalidFormat);
}
