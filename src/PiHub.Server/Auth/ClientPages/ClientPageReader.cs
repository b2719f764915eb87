using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PiHub.Core.Auth.Validation;

namespace PiHub.Server.Auth.ClientPages;

/// <summary>
/// Reads a client's <c>client_id</c> page over HTTP for the redirect URIs it declares, within
/// <see cref="ClientPageLimits"/>: the first 10 KB, 5 s in all, at most 3 redirects, no proxy, no cookies. Answers
/// (and failures) are remembered for a minute, and a page being read is read once however many logins wait on it.
/// Every connection (redirects included) goes only to addresses <see cref="ClientPageAddresses"/> allows, checked
/// after the name is resolved, and a failure names what went wrong in the hub's own words, never quoting the other
/// side's bytes or an exception's text: the read must not become a port scanner or banner grabber.
/// </summary>
internal sealed class ClientPageReader : IClientPageReader, IDisposable
{
    /// <summary>Pages remembered at most; past it, stale entries are dropped, and then nothing new is remembered.</summary>
    private const int MaxCachedPages = 128;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ILogger<ClientPageReader> _logger;
    private readonly Func<IPAddress, string?> _refusal;
    private readonly ConcurrentDictionary<string, (Task<ClientPage> Page, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the reader with Home Assistant's limits; pages on private LAN addresses are read only when
    /// <paramref name="allowLan"/> (<c>auth.allow_lan_client_pages</c>).
    /// </summary>
    public ClientPageReader(TimeProvider time, ILogger<ClientPageReader> logger, bool allowLan)
        : this(time, logger, ClientPageLimits.Timeout, a => ClientPageAddresses.Refusal(a, allowLan))
    {
    }

    /// <summary>
    /// For testing: a shorter <paramref name="timeout"/> than <see cref="ClientPageLimits.Timeout"/>, and which addresses
    /// are refused (<paramref name="refusal"/>: null to connect, else what kind of address it is), so a test site on
    /// loopback can stand in for a public one.
    /// </summary>
    internal ClientPageReader(TimeProvider time, ILogger<ClientPageReader> logger, TimeSpan timeout, Func<IPAddress, string?> refusal)
    {
        _time = time;
        _logger = logger;
        _timeout = timeout;
        _refusal = refusal;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = ClientPageLimits.MaxRedirects,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the read's own token bounds the whole exchange, body included
        };
        _http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("PiHub (IndieAuth redirect_uri lookup)");
    }

    /// <inheritdoc />
    public Task<ClientPage> ReadAsync(Uri clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var key = clientId.OriginalString;
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now) return cached.Page;

        // Not the caller's token: a login that gives up must not fail the read others wait on.
        var read = FetchAsync(clientId);
        if (_cache.Count >= MaxCachedPages)
        {
            foreach (var (stale, entry) in _cache)
            {
                if (entry.Expires <= now) _cache.TryRemove(stale, out _);
            }
        }

        if (_cache.Count < MaxCachedPages) _cache[key] = (read, now + ClientPageLimits.CacheLifetime);
        return read.WaitAsync(cancellationToken);
    }

    private async Task<ClientPage> FetchAsync(Uri clientId)
    {
        // Wall-clock time, not the hub's clock: a test's fake clock must not stop the timeout.
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            using var response = await _http.GetAsync(clientId, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is not null)
            {
                return ClientPage.Failed($"it redirected more than {ClientPageLimits.MaxRedirects} times (the hub follows at most {ClientPageLimits.MaxRedirects})");
            }

            var page = response.RequestMessage?.RequestUri ?? clientId;
            var html = await ReadStartAsync(response.Content, timeout.Token).ConfigureAwait(false);
            var links = response.Headers.TryGetValues("Link", out var values) ? values : [];
            var declared = RedirectUriLinks.Find(page, html, links);
            _logger.LogInformation("Read client page {ClientId}: HTTP {Status}, {Count} declared redirect URI(s)", clientId, status, declared.Count);
            return ClientPage.Read(status, declared);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return Failed(clientId, $"it did not answer within {_timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is AddressRefusedException refused)
        {
            _logger.LogWarning("Did not read client page {ClientId} for declared redirect URIs: {Reason}", clientId, refused.Reason);
            return ClientPage.RefusedFor(refused.Reason);
        }
        catch (HttpRequestException ex)
        {
            // Never ex.Message: it may quote what answered ("invalid status line: 'SSH-2.0-…'").
            return Failed(clientId, ex.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "its host name could not be resolved",
                HttpRequestError.ConnectionError => "the hub could not connect to it",
                HttpRequestError.SecureConnectionError => "its TLS connection could not be set up (check its certificate)",
                HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "it did not answer with valid HTTP",
                _ => "the request failed",
            });
        }
        catch (IOException)
        {
            return Failed(clientId, "its answer broke off before the page was read");
        }
    }

    /// <summary>
    /// Resolves the host and connects only to addresses <see cref="_refusal"/> allows, whatever name (or redirect) led
    /// there: a check before the request would miss a name that resolves differently the second time (DNS rebinding).
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(a => _refusal(a) is null).ToArray();
        if (allowed.Length == 0)
        {
            var first = addresses.FirstOrDefault();
            throw new AddressRefusedException(first is null
                ? "its host name could not be resolved"
                : $"its address {first} is {_refusal(first)}, which the hub never connects to for a client page");
        }

        var socket = Socket.OSSupportsIPv6
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private ClientPage Failed(Uri clientId, string reason)
    {
        _logger.LogWarning("Could not read client page {ClientId} for declared redirect URIs: {Reason}", clientId, reason);
        return ClientPage.Failed(reason);
    }

    /// <summary>The first <see cref="ClientPageLimits.MaxBytes"/> bytes as UTF-8 (a tag cut at the end is simply not seen).</summary>
    private static async Task<string> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[ClientPageLimits.MaxBytes];
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>A connection refused for its address; <see cref="Reason"/> ends the sentence of the login's 400.</summary>
    private sealed class AddressRefusedException(string reason) : IOException(reason)
    {
        public string Reason { get; } = reason;
    }
}
