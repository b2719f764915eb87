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
/// </summary>
internal sealed class ClientPageReader : IClientPageReader, IDisposable
{
    /// <summary>Pages remembered at most; past it, stale entries are dropped, and then nothing new is remembered.</summary>
    private const int MaxCachedPages = 128;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ILogger<ClientPageReader> _logger;
    private readonly ConcurrentDictionary<string, (Task<ClientPage> Page, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the reader with Home Assistant's limits.</summary>
    public ClientPageReader(TimeProvider time, ILogger<ClientPageReader> logger)
        : this(time, logger, ClientPageLimits.Timeout)
    {
    }

    /// <summary>For testing: a shorter <paramref name="timeout"/> than <see cref="ClientPageLimits.Timeout"/>.</summary>
    internal ClientPageReader(TimeProvider time, ILogger<ClientPageReader> logger, TimeSpan timeout)
    {
        _time = time;
        _logger = logger;
        _timeout = timeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
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
        catch (HttpRequestException ex) when (ex.InnerException is SocketException socket)
        {
            return Failed(clientId, $"the hub could not connect to it ({socket.Message})");
        }
        catch (HttpRequestException ex)
        {
            return Failed(clientId, $"the request failed ({ex.Message})");
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
}
